using System.Text.Json;

namespace SpectralNotify.Client.Models;

/// <summary><c>POST /api/v1/workers/claim</c>: lease up to <see cref="Max"/> runs, waiting up to <see cref="WaitSeconds"/> for work.</summary>
public sealed record ClaimRunsRequest
{
    /// <summary>Who claims (shown on the run); required.</summary>
    public string? WorkerId { get; init; }

    /// <summary>The queues to take runs from; required.</summary>
    public IReadOnlyList<string>? Queues { get; init; }

    /// <summary>Only these handler types (all when null).</summary>
    public IReadOnlyList<string>? Types { get; init; }

    /// <summary>1–100 runs (1 when null).</summary>
    public int? Max { get; init; }

    /// <summary>The lease, 5–3600 s (30 when null); heartbeat before it ends.</summary>
    public int? LeaseSeconds { get; init; }

    /// <summary>0–30 s to wait when there is no work (long poll); 0 when null.</summary>
    public int? WaitSeconds { get; init; }
}

/// <summary><c>POST /api/v1/runs/{id}/heartbeat</c>.</summary>
public sealed record HeartbeatRequest
{
    /// <summary>The claim's <see cref="Run.LeaseToken"/>; required.</summary>
    public string? LeaseToken { get; init; }

    /// <summary>The new lease from now, 5–3600 s (30 when null).</summary>
    public int? LeaseSeconds { get; init; }
}

/// <summary>The heartbeat answer.</summary>
public sealed record HeartbeatResult
{
    /// <summary>When the lease now ends.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; init; }

    /// <summary>A cancel was asked for: stop the handler and fail or complete the run.</summary>
    public bool CancelRequested { get; init; }
}

/// <summary><c>POST /api/v1/runs/{id}/complete</c>.</summary>
public sealed record CompleteRunRequest
{
    /// <summary>The claim's <see cref="Run.LeaseToken"/>; required.</summary>
    public string? LeaseToken { get; init; }

    /// <summary>The result (any JSON).</summary>
    public JsonElement? Result { get; init; }
}

/// <summary><c>POST /api/v1/runs/{id}/fail</c>: retried per the run's retries unless <see cref="Retryable"/> is false.</summary>
public sealed record FailRunRequest
{
    /// <summary>The claim's <see cref="Run.LeaseToken"/>; required.</summary>
    public string? LeaseToken { get; init; }

    /// <summary>The error text; required.</summary>
    public string? Error { get; init; }

    /// <summary>False dead-letters the run now (true when null).</summary>
    public bool? Retryable { get; init; }

    /// <summary>Retry after this many seconds instead of the backoff (0 to 7 days).</summary>
    public int? RetryAfterSeconds { get; init; }
}
