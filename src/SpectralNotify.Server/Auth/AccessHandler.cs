using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using SpectralNotify.Access;
using SpectralNotify.Storage;

namespace SpectralNotify.Server.Auth;

/// <summary>
/// Applies <see cref="AccessRules"/> to an HTTP request. Presented credentials that do not
/// authenticate are refused even where an anonymous caller would be let in: a client holding an
/// expired token must learn it, not silently read as nobody.
/// </summary>
public sealed class AccessHandler(ApiKeyOptions options, IStore store) : AuthorizationHandler<AccessRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, AccessRequirement requirement)
    {
        if (context.Resource is not HttpContext http)
        {
            return;
        }
        if (await Credentials.PresentedButInvalidAsync(http))
        {
            context.Fail();
            return;
        }
        var caller = context.User.ToCaller();
        var id = requirement.IdRoute is null ? null : http.GetRouteValue(requirement.IdRoute) as string;
        string? jobOfRun = null;
        // The URL text check runs after authorization; an id PostgreSQL cannot store is no run's.
        if (id is not null && !id.Contains('\0', StringComparison.Ordinal) && AccessRules.NeedsJobOfRun(caller, requirement.Resource))
        {
            jobOfRun = (await store.RunGetAsync(id, http.RequestAborted))?.JobId;
        }
        // ?auth=message: the WebSocket endpoint itself checks the token in the first message.
        if (AccessRules.Decide(caller, requirement.Resource, requirement.Operation, id, options.AnonymousReads, jobOfRun) == Decision.Allow
            || (requirement.Operation == Operation.Read && Realtime.FirstMessageAuth.Requested(http)))
        {
            context.Succeed(requirement);
        }
    }
}
