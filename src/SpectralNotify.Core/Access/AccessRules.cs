namespace SpectralNotify.Access;

/// <summary>
/// The one authorization rule per resource, used by both HTTP surfaces and the live endpoints. The
/// table is written out in <c>docs/security.md</c>; a test walks every row.
/// </summary>
public static class AccessRules
{
    /// <summary>The key scope an operation needs.</summary>
    public static Level Needs(Resource resource, Operation operation) => (resource, operation) switch
    {
        // Secrets, keys and who-watches-what are operator data.
        (Resource.Configuration or Resource.Sessions or Resource.Keys, _) => Level.Admin,
        // Minting a token hands out reads; a write key may (the token never exceeds the key).
        (Resource.Tokens, _) => Level.Write,
        (Resource.Metrics, _) => Level.Read,
        (_, Operation.Read or Operation.List) => Level.Read,
        (_, Operation.Report or Operation.Write) => Level.Write,
        // Deleting erases history that other people rely on: only an admin.
        (_, Operation.Delete) => Level.Admin,
        _ => Level.Admin,
    };

    /// <summary>Whether a caller without credentials may do this under <paramref name="mode"/>.</summary>
    public static bool AllowsAnonymous(Resource resource, Operation operation, AnonymousReads mode) =>
        resource is Resource.Tasks or Resource.Workflows or Resource.Counters or Resource.Runs
        && operation switch
        {
            Operation.Read => mode is AnonymousReads.ById or AnonymousReads.All,
            Operation.List => mode is AnonymousReads.All,
            _ => false,
        };

    /// <summary>The decision for <paramref name="caller"/>; <paramref name="id"/> is the entity's id when the request names one.</summary>
    /// <param name="jobOfRun">For a run: the job it belongs to, so a <c>read:jobs:&lt;id&gt;</c> token reads its runs. Asked only when such a token could decide.</param>
    public static Decision Decide(Caller caller, Resource resource, Operation operation, string? id, AnonymousReads mode, string? jobOfRun = null)
    {
        if (caller.Level is { } level && level >= Needs(resource, operation))
        {
            return Decision.Allow;
        }
        if (caller.Grants.Any(g => g.Covers(resource, operation, id, jobOfRun)))
        {
            return Decision.Allow;
        }
        if (!caller.Authenticated && AllowsAnonymous(resource, operation, mode))
        {
            return Decision.Allow;
        }
        return caller.Authenticated ? Decision.Forbidden : Decision.Unauthenticated;
    }

    /// <summary>Whether deciding on a run needs its job id: only a token reading whole jobs can use it.</summary>
    public static bool NeedsJobOfRun(Caller caller, Resource resource) =>
        resource == Resource.Runs && caller.Level is null && caller.Grants.Any(g => g.Resource == Resource.Jobs);
}

/// <summary>The outcome: allowed, no credentials (401), or credentials that do not reach (403).</summary>
public enum Decision
{
    Allow,
    Unauthenticated,
    Forbidden,
}
