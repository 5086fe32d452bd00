namespace SpectralNotify.Access;

/// <summary>What a request touches, as the access rules see it (the rule table in <c>docs/security.md</c>).</summary>
public enum Resource
{
    /// <summary>A task, its events, its tool executions and its live stream.</summary>
    Tasks,
    /// <summary>A workflow, its phases, its events and its live stream.</summary>
    Workflows,
    /// <summary>A counter, its history and its live stream.</summary>
    Counters,
    /// <summary>A job run (its task is read as a task).</summary>
    Runs,
    /// <summary>A job definition and its schedule.</summary>
    Jobs,
    /// <summary>Typed configuration entries (secrets are masked, but names and shapes are operator data).</summary>
    Configuration,
    /// <summary>Who watches what, per node.</summary>
    Sessions,
    /// <summary>Managed API keys.</summary>
    Keys,
    /// <summary>Short-lived scoped tokens.</summary>
    Tokens,
    /// <summary><c>/metrics</c>.</summary>
    Metrics,
}

/// <summary>What a request does to a <see cref="Resource"/>.</summary>
public enum Operation
{
    /// <summary>Read one entity by its id: the entity, its history, its live stream.</summary>
    Read,
    /// <summary>List or search entities.</summary>
    List,
    /// <summary>Report progress or an event to one task: the narrowest write, all a browser uploader needs.</summary>
    Report,
    /// <summary>Create or change.</summary>
    Write,
    /// <summary>Delete (or restore) an entity and its history.</summary>
    Delete,
}

/// <summary>The scopes an API key holds; each includes the ones below it (admin ⊇ write ⊇ read).</summary>
public enum Level
{
    Read = 1,
    Write = 2,
    Admin = 3,
}

/// <summary>
/// What a caller without any credentials may read (<c>Auth:AnonymousReads</c>). Nothing by default:
/// a server reachable from a browser must not hand every visited web page its data.
/// </summary>
public enum AnonymousReads
{
    /// <summary>Every request needs a key or a token.</summary>
    None,
    /// <summary>Tasks, workflows, counters and runs can be read by id (the id acts as a capability).</summary>
    ById,
    /// <summary><see cref="ById"/> and listing them: the reference server's public <c>getAll</c>.</summary>
    All,
}
