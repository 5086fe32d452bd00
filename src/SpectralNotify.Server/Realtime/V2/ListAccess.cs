using SpectralNotify.Access;

namespace SpectralNotify.Server.Realtime.V2;

/// <summary>
/// Who may open a live list: a caller who may list the kind sees every row; a token holding scopes of
/// the kind (<c>read:tasks:a</c>, <c>read:jobs:J</c> for runs) may open it too and sees only the rows
/// those scopes cover, each checked with <see cref="AccessRules"/> as it is sent.
/// </summary>
public static class ListAccess
{
    public static Resource ResourceOf(string topic) => topic switch
    {
        "tasks" => Resource.Tasks,
        "workflows" => Resource.Workflows,
        _ => Resource.Runs,
    };

    public static bool MayOpen(LiveContext live, Caller caller, SubscribeRequest r)
    {
        if (r.Name == "job")
        {
            return AccessRules.Decide(caller, Resource.Jobs, Operation.Read, r.EntityId, live.AnonymousReads) == Decision.Allow;
        }
        var resource = ResourceOf(r.Name);
        return AccessRules.Decide(caller, resource, Operation.List, null, live.AnonymousReads) == Decision.Allow
            || caller.Grants.Any(g => g.Resource == resource || (resource == Resource.Runs && g.Resource == Resource.Jobs));
    }
}
