using SpectralNotify.Tasks;

namespace SpectralNotify.Jobs;

/// <summary>What one run transition came to: its committed change, or the domain refusal that left it unwritten.</summary>
public readonly record struct RunOutcome(RunChange? Change, SpectralException? Error)
{
    public RunChange Value => Change ?? throw Error!;
}

/// <summary>A start or a completion of a leased run (what an in-process worker records at queue speed), or a heartbeat or failure.</summary>
public sealed record LeaseOp(string TaskId, string LeaseToken)
{
    /// <summary>Set for a start: the lease it renews.</summary>
    public TimeSpan? StartLease { get; init; }

    /// <summary>Set for a completion (JSON text, possibly <c>null</c> text).</summary>
    public bool Complete { get; init; }
    public string? Result { get; init; }

    public static LeaseOp Start(string taskId, string leaseToken, TimeSpan lease) => new(taskId, leaseToken) { StartLease = lease };

    public static LeaseOp Completion(string taskId, string leaseToken, string? result) => new(taskId, leaseToken) { Complete = true, Result = result };
}

/// <summary>A sweep's or firing pass's input: what to skip (rows reported as poison earlier and still in quarantine).</summary>
/// <param name="Ahead">Firing passes only: also fire jobs due within this time from <see cref="Now"/>. Their runs are
/// made now and claimable from their due time (<c>runAt</c>), so they are committed and announced when it comes.</param>
public sealed record SweepParams(DateTimeOffset Now, int Limit, IReadOnlySet<string>? Skip = null, TimeSpan Ahead = default)
{
    /// <summary>Rows to read: quarantined ones come back too and are skipped, so they must not use up the pass's limit.</summary>
    public int ReadLimit => Limit + (Skip?.Count ?? 0);
}

/// <summary>What a pass changed, and the rows it could not handle (skipped, with the reason), so one bad row never stops the pass.</summary>
public sealed record SweepResult(IReadOnlyList<RunChange> Changes, IReadOnlyList<PoisonRow> Poisoned)
{
    public static readonly SweepResult Empty = new([], []);
}

/// <summary>A row a background pass could not handle: its entity, its id and why.</summary>
public sealed record PoisonRow(string Entity, string Id, string Problem);
