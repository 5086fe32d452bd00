namespace SpectralNotify.Client.Models;

/// <summary>One run to enqueue without a job definition (an item of <see cref="EnqueueRunsRequest"/>).</summary>
public sealed record EnqueueRunRequest
{
    /// <summary>The run's id, or null for a generated one.</summary>
    public string? Id { get; init; }

    /// <summary>The handler type; required.</summary>
    public string? Type { get; init; }

    /// <summary>Any JSON; <c>{}</c> when null.</summary>
    public System.Text.Json.JsonElement? Payload { get; init; }

    /// <summary>The queue (<c>default</c> when null).</summary>
    public string? Queue { get; init; }

    /// <summary>The priority (50 when null).</summary>
    public int? Priority { get; init; }

    /// <summary>Retries after the first attempt (3 when null).</summary>
    public int? MaxRetries { get; init; }

    /// <summary>The time one attempt may take.</summary>
    public int? TimeoutSeconds { get; init; }

    /// <summary>When it is due (now when null).</summary>
    public DateTimeOffset? RunAt { get; init; }

    /// <summary>At most one unfinished run with this key.</summary>
    public string? UniqueKey { get; init; }

    /// <summary>Dropped unless claimed by then.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Runs that must succeed first.</summary>
    public IReadOnlyList<string>? DependsOn { get; init; }
}

/// <summary><c>POST /api/v1/runs</c>: 1 to 250 runs in one transaction.</summary>
public sealed record EnqueueRunsRequest
{
    /// <summary>The runs.</summary>
    public IReadOnlyList<EnqueueRunRequest> Runs { get; init; } = [];

    /// <summary>Asks for a read token covering every run (at most 50 runs then; no automatic Idempotency-Key).</summary>
    public TokenOnCreate? Token { get; init; }
}

/// <summary>The filter of <c>GET /api/v1/runs</c> (one page, newest change first, no cursor).</summary>
public sealed record RunQuery
{
    /// <summary>Task statuses (see <see cref="TaskStatuses"/>).</summary>
    public IReadOnlyList<string>? Status { get; init; }

    /// <summary>Run states (see <see cref="RunStates"/>).</summary>
    public IReadOnlyList<string>? State { get; init; }

    /// <summary>An exact handler type.</summary>
    public string? Type { get; init; }

    /// <summary>An exact queue.</summary>
    public string? Queue { get; init; }

    /// <summary>Runs of one job.</summary>
    public string? JobId { get; init; }

    /// <summary>Created after this time (exclusive).</summary>
    public DateTimeOffset? CreatedAfter { get; init; }

    /// <summary>Created before this time (exclusive).</summary>
    public DateTimeOffset? CreatedBefore { get; init; }

    /// <summary>1–200; the server's default is 50.</summary>
    public int? Limit { get; init; }
}
