namespace SpectralNotify.Jobs;

/// <summary>
/// One execution of a job (or a one-off run): a task plus what the queue needs. <see cref="State"/>
/// is the queue's view: <c>pending</c> (waiting for <see cref="RunAt"/>), <c>reserved</c> (leased by
/// a worker that has not started it yet; its task is still pending), <c>running</c> (leased by a
/// worker until <see cref="LeaseExpiresAt"/>) or <c>done</c>; the task's status says how it ended.
/// </summary>
public sealed record JobRun
{
    public const string Pending = "pending";
    public const string Reserved = "reserved";
    public const string Running = "running";
    public const string Done = "done";

    public required string TaskId { get; init; }
    public string? JobId { get; init; }
    public required string Type { get; init; }
    public string Queue { get; init; } = "default";
    public int Priority { get; init; } = 50;
    /// <summary>JSON text.</summary>
    public string Payload { get; init; } = "{}";
    /// <summary>Attempts started so far (the current one while running).</summary>
    public int Attempt { get; init; }
    public int MaxRetries { get; init; } = 3;
    public int? TimeoutSeconds { get; init; }
    /// <summary>When the run may next be claimed (its first scheduled time, or a retry's time).</summary>
    public DateTimeOffset RunAt { get; init; }
    /// <summary>When the run was first due.</summary>
    public DateTimeOffset ScheduledAt { get; init; }
    public string State { get; init; } = Pending;
    public string? WorkerId { get; init; }
    public string? LeaseToken { get; init; }
    public DateTimeOffset? LeaseExpiresAt { get; init; }
    /// <summary>When the current attempt times out (<see cref="TimeoutSeconds"/> after it started); leases never reach past it.</summary>
    public DateTimeOffset? Deadline { get; init; }
    public bool CancelRequested { get; init; }
    /// <summary>JSON text the handler returned.</summary>
    public string? Result { get; init; }
    public string? UniqueKey { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>A run not started by then ends canceled (TTL).</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
    /// <summary>How many of the runs it depends on have not succeeded yet; it is claimable only at 0.</summary>
    public int Blocked { get; init; }
}

/// <summary>A run to enqueue. <see cref="Id"/> is generated when null.</summary>
public sealed record NewRun
{
    public string? Id { get; init; }
    public string? JobId { get; init; }
    public required string Type { get; init; }
    public string Payload { get; init; } = "{}";
    public string Queue { get; init; } = "default";
    public int Priority { get; init; } = 50;
    public int MaxRetries { get; init; } = 3;
    public int? TimeoutSeconds { get; init; }
    public DateTimeOffset? RunAt { get; init; }
    public string? UniqueKey { get; init; }
    public string? CreatedBy { get; init; }
    public string? Title { get; init; }
    /// <summary>A run not started by then ends canceled.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
    /// <summary>Runs (task ids) that must succeed first; if one fails or is canceled, this one is canceled.</summary>
    public IReadOnlyList<string>? DependsOn { get; init; }
    /// <summary>The failed or canceled run this one retries; recorded in the task's metadata as <c>retryOf</c>.</summary>
    public string? RetryOf { get; init; }

    public static NewRun For(Job job, DateTimeOffset? runAt = null) => new()
    {
        JobId = job.Id, Type = job.Type, Payload = job.Payload, Queue = job.Queue, Priority = job.Priority,
        MaxRetries = job.MaxRetries, TimeoutSeconds = job.TimeoutSeconds, RunAt = runAt, UniqueKey = job.UniqueKey,
        CreatedBy = job.CreatedBy, Title = job.Type,
    };
}

/// <summary>
/// A committed change to a run, the task change (event) it made, and the changes it caused in the
/// same transaction: dependents canceled because this run ended without success.
/// </summary>
public sealed record RunChange(JobRun Run, Tasks.TaskChange Task, IReadOnlyList<RunChange>? Cascade = null)
{
    /// <summary>This change and every change it caused, depth first.</summary>
    public IEnumerable<RunChange> All() => Cascade is null ? [this] : [this, .. Cascade.SelectMany(c => c.All())];
}

/// <summary>A worker asking for runs: <see cref="Types"/> null means any type.</summary>
public sealed record ClaimRequest(string WorkerId, IReadOnlyList<string> Queues, IReadOnlyList<string>? Types, int Max, TimeSpan Lease);

/// <summary>A lease as a claim handed it out: which run, under which token.</summary>
public sealed record RunLease(string TaskId, string LeaseToken);

/// <summary>A worker reporting a failed attempt. <see cref="RetryAt"/>, when set, is when the handler asked to be retried.</summary>
public sealed record RunFailParams(string TaskId, string LeaseToken, string Error, bool Retryable, DateTimeOffset? RetryAt = null);
