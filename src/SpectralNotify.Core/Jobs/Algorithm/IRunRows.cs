using SpectralNotify.Tasks;

namespace SpectralNotify.Jobs;

/// <summary>
/// What an engine gives the job algorithm (<see cref="RunWork"/>) inside one write transaction:
/// reads that lock the rows they return until commit (PostgreSQL <c>FOR UPDATE</c>, claims and sweeps
/// with <c>SKIP LOCKED</c>; SQLite's single writer locks everything), one immediate insert, and
/// <see cref="Write"/>, which applies the algorithm's plan with the engine's own SQL. The engine
/// decides nothing: every job decision is in <see cref="RunWork"/>, <see cref="RunRules"/> and
/// <see cref="JobRules"/>.
/// </summary>
/// <remarks>
/// Methods return <see cref="ValueTask"/> so the synchronous SQLite writer can implement them
/// without allocating; its implementation always completes synchronously.
/// </remarks>
public interface IRunRows
{
    /// <summary>The runs with these task ids that exist, locked (in id order, so concurrent batches never deadlock).</summary>
    ValueTask<IReadOnlyList<JobRun>> RunGetManyAsync(IReadOnlyCollection<string> taskIds, CancellationToken ct);

    /// <summary>
    /// Up to <paramref name="limit"/> due, unblocked pending runs of <paramref name="queues"/> (distinct,
    /// and of <paramref name="types"/>), in one query: the first queue's runs first, each queue's highest
    /// priority first, then oldest; locked, skipping rows another transaction holds.
    /// </summary>
    ValueTask<IReadOnlyList<JobRun>> RunClaimableAsync(IReadOnlyList<string> queues, IReadOnlyList<string>? types, DateTimeOffset now, int limit, CancellationToken ct);

    /// <summary>Reserved or running runs whose lease ended before <paramref name="now"/>; locked, skipping held rows.</summary>
    ValueTask<IReadOnlyList<JobRun>> RunLeaseExpiredAsync(DateTimeOffset now, int limit, CancellationToken ct);

    /// <summary>Pending or reserved runs whose <c>expiresAt</c> passed; locked, skipping held rows.</summary>
    ValueTask<IReadOnlyList<JobRun>> RunTtlExpiredAsync(DateTimeOffset now, int limit, CancellationToken ct);

    /// <summary>Runs that wait for <paramref name="dependsOn"/> and have not started, locked.</summary>
    ValueTask<IReadOnlyList<JobRun>> RunDependentsAsync(string dependsOn, CancellationToken ct);

    /// <summary>The pending (or reserved) run holding <paramref name="uniqueKey"/>, if any.</summary>
    ValueTask<string?> RunPendingByUniqueKeyAsync(string uniqueKey, CancellationToken ct);

    /// <summary>The tasks with these ids that exist, locked (after their runs: a run is always locked before its task).</summary>
    ValueTask<IReadOnlyList<TaskItem>> TaskGetManyAsync(IReadOnlyCollection<string> ids, CancellationToken ct);

    /// <summary>Active jobs whose stored next fire time is at or before <paramref name="dueBy"/>; locked, skipping held rows.</summary>
    ValueTask<IReadOnlyList<Job>> JobDueAsync(DateTimeOffset dueBy, int limit, CancellationToken ct);

    /// <summary>
    /// Inserts a new task with its event 1 (its run row follows in <see cref="Write"/>); false when the
    /// id is taken. An engine may instead defer the insert to its next round trip and throw
    /// <see cref="Tasks.TaskAlreadyExistsException"/> there, before anything commits.
    /// </summary>
    ValueTask<bool> TaskInsertAsync(TaskChange created, CancellationToken ct);

    /// <summary>Applies the plan, in the order <see cref="RunWrites"/> documents.</summary>
    void Write(RunWrites writes);
}
