using SpectralNotify.Jobs;
using SpectralNotify.Tasks;

namespace SpectralNotify.Storage;

/// <summary>Job runs: the queue, leases and their outcomes (decided by RunWork, once for both engines). Part of <see cref="IStore"/>.</summary>
public interface IRunStore
{
    /// <summary>A pending run is canceled at once; a running one records the request for its worker. Null when it had already finished.</summary>
    /// <exception cref="RunNotFoundException"/>
    Task<RunChange?> RunCancelAsync(string taskId, CancellationToken ct);

    /// <summary>Leases up to <c>Max</c> due pending runs of the given queues (and types), highest priority first, then oldest.</summary>
    Task<IReadOnlyList<RunChange>> RunClaimAsync(ClaimRequest request, CancellationToken ct);

    /// <exception cref="LeaseLostException"/>
    Task<RunChange> RunCompleteAsync(string taskId, string leaseToken, string? result, CancellationToken ct);

    /// <summary>Creates the runs (each a task) in one transaction; any failure writes none.</summary>
    /// <exception cref="RunUniqueConflictException"/>
    Task<IReadOnlyList<RunChange>> RunEnqueueAsync(IReadOnlyList<NewRun> runs, CancellationToken ct);

    /// <summary>A failed attempt: retried with backoff (or at <c>RetryAt</c>) while attempts remain, else the run fails.</summary>
    /// <exception cref="LeaseLostException"/>
    Task<RunChange> RunFailAsync(RunFailParams p, CancellationToken ct);

    Task<JobRun?> RunGetAsync(string taskId, CancellationToken ct);

    /// <summary>
    /// Gives back runs a claim leased to a worker that never received them: pending again, the attempt
    /// not counted (<see cref="RunWork.UnclaimAsync"/>). Runs no longer held by those leases are left alone.
    /// </summary>
    Task<IReadOnlyList<RunChange>> RunUnclaimAsync(IReadOnlyList<RunLease> leases, string reason, CancellationToken ct);

    /// <summary>Extends the caller's lease; the answer says whether a cancel was requested.</summary>
    /// <exception cref="LeaseLostException"/>
    Task<JobRun> RunHeartbeatAsync(string taskId, string leaseToken, TimeSpan lease, CancellationToken ct);

    /// <summary>A job's runs with their tasks' status, newest first.</summary>
    Task<IReadOnlyList<(JobRun Run, TaskState Status)>> RunListByJobAsync(string jobId, int limit, CancellationToken ct);

    /// <summary>
    /// Like <see cref="RunClaimAsync"/>, but only reserves the runs (<see cref="JobRun.Reserved"/>): their
    /// tasks stay pending until <see cref="RunStartAsync"/>. One reservation can fill a worker's local queue.
    /// </summary>
    Task<IReadOnlyList<JobRun>> RunReserveAsync(ClaimRequest request, CancellationToken ct);

    /// <summary>Starts a reserved run's attempt and renews its lease.</summary>
    /// <exception cref="LeaseLostException">The reservation lapsed, or the run was canceled meanwhile.</exception>
    Task<RunChange> RunStartAsync(string taskId, string leaseToken, TimeSpan lease, CancellationToken ct);

    /// <summary>
    /// The lease and TTL sweep (see <see cref="RunWork.ExpireAsync"/>): up to <c>Limit</c> runs whose
    /// lease or TTL ran out. Rows it cannot handle are skipped and reported, never failing the pass.
    /// </summary>
    Task<SweepResult> RunSweepAsync(SweepParams p, CancellationToken ct);
}
