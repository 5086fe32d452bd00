using SpectralNotify.Configuration;
using SpectralNotify.Counters;
using SpectralNotify.Idempotency;
using SpectralNotify.Jobs;
using SpectralNotify.Sessions;
using SpectralNotify.Tasks;
using SpectralNotify.Tools;
using SpectralNotify.Workflows;

namespace SpectralNotify.Storage;

/// <summary>
/// The storage contract every engine implements. Methods are named noun-first and take params
/// records or plain values; the SQL behind them lives in each engine's <c>Sql/*.sql</c> under the
/// same query names. Domain rules are not here: writes call <see cref="TaskLifecycle"/> inside
/// their transaction.
/// </summary>
public interface IStore : IAsyncDisposable
{
    /// <summary>What the engine can do natively (documented fallbacks where it cannot).</summary>
    StoreCapabilities Capabilities { get; }

    /// <summary>Applies an operation under the counter's write lock and appends its history entry.</summary>
    /// <exception cref="CounterNotFoundException"/>
    /// <exception cref="CounterOverflowException"/>
    Task<CounterChange> CounterApplyAsync(string name, CounterOperation op, CancellationToken ct);

    /// <summary>Creates a counter with history entry 1.</summary>
    /// <exception cref="CounterAlreadyExistsException"/>
    Task<CounterChange> CounterCreateAsync(string name, long value, string? createdBy, CancellationToken ct);

    /// <summary>Deletes a counter and its history; false when it did not exist.</summary>
    Task<bool> CounterDeleteAsync(string name, CancellationToken ct);

    Task<Counter?> CounterGetAsync(string name, CancellationToken ct);

    /// <summary>History entries with seq &gt; <paramref name="afterSeq"/>, oldest first.</summary>
    Task<IReadOnlyList<CounterHistoryEntry>> CounterHistoryListAsync(string name, long afterSeq, int limit, CancellationToken ct);

    /// <summary>All counters by name.</summary>
    Task<IReadOnlyList<Counter>> CounterListAsync(CancellationToken ct);

    /// <summary>Deletes a configuration entry; false when it did not exist.</summary>
    Task<bool> ConfigDeleteAsync(string key, CancellationToken ct);

    Task<ConfigEntry?> ConfigGetAsync(string key, CancellationToken ct);

    /// <summary>All entries, ordered by key.</summary>
    Task<IReadOnlyList<ConfigEntry>> ConfigListAsync(CancellationToken ct);

    /// <summary>Inserts or replaces an entry (keeping its createdAt, bumping its version); returns it and whether it was created.</summary>
    Task<(ConfigEntry Entry, bool Created)> ConfigPutAsync(ConfigEntry entry, CancellationToken ct);

    /// <summary>Creates or updates many tasks in one transaction; any failure rolls back all of them.</summary>
    /// <exception cref="BatchOperationException">Names the failing operation's index.</exception>
    Task<IReadOnlyList<TaskChange>> TaskBatchAsync(IReadOnlyList<TaskWrite> writes, CancellationToken ct);

    /// <summary>Inserts the task and its event 1 in one transaction.</summary>
    /// <exception cref="TaskAlreadyExistsException"/>
    Task<TaskChange> TaskCreateAsync(NewTask task, CancellationToken ct);

    /// <summary>Deletes the task and its events; false when it did not exist.</summary>
    Task<bool> TaskDeleteAsync(string id, CancellationToken ct);

    /// <summary>Deletes up to <paramref name="limit"/> tasks whose <c>expiresAt</c> ≤ <paramref name="now"/>; returns their ids.</summary>
    Task<IReadOnlyList<string>> TaskDeleteExpiredAsync(DateTimeOffset now, int limit, CancellationToken ct);

    /// <summary>Events with seq &gt; <paramref name="afterSeq"/>, oldest first.</summary>
    Task<IReadOnlyList<TaskEvent>> TaskEventListAsync(string taskId, long afterSeq, int limit, CancellationToken ct);

    Task<TaskItem?> TaskGetAsync(string id, CancellationToken ct);

    /// <summary>The tasks of a workflow in <c>sequence</c> order (then creation order).</summary>
    Task<IReadOnlyList<TaskItem>> TaskListByWorkflowAsync(string workflowId, int limit, CancellationToken ct);

    /// <summary>Newest first, keyset-paginated.</summary>
    Task<TaskPage> TaskListAsync(TaskListParams p, CancellationToken ct);

    /// <summary>Applies a mutation under the row's write lock and appends its event.</summary>
    /// <exception cref="TaskNotFoundException"/>
    /// <exception cref="TaskTerminalException"/>
    /// <exception cref="TaskVersionMismatchException"/>
    Task<TaskChange> TaskMutateAsync(string id, TaskMutation mutation, CancellationToken ct);

    /// <summary>Finishes a running execution and appends its event to the task, in one transaction.</summary>
    /// <exception cref="ToolNotFoundException"/>
    /// <exception cref="ToolNotRunningException"/>
    /// <exception cref="TaskTerminalException"/>
    Task<(ToolExecution Execution, TaskChange Change)> ToolFinishAsync(string taskId, string executionId, ToolFinish finish, CancellationToken ct);

    /// <summary>A task's executions, oldest first.</summary>
    Task<IReadOnlyList<ToolExecution>> ToolListAsync(string taskId, CancellationToken ct);

    /// <summary>Records a started execution (its StartedAt is set from the store's clock) and appends its event, in one transaction.</summary>
    /// <exception cref="TaskNotFoundException"/>
    /// <exception cref="TaskTerminalException"/>
    Task<(ToolExecution Execution, TaskChange Change)> ToolStartAsync(ToolExecution execution, CancellationToken ct);

    /// <summary>Creates a workflow from validated phases, with history entry 1.</summary>
    /// <exception cref="WorkflowAlreadyExistsException"/>
    Task<WorkflowChange> WorkflowCreateAsync(string id, IReadOnlyList<PhaseInput> phases, string metadata, string? createdBy, TaskState status, CancellationToken ct);

    /// <summary>Deletes a workflow with its phases and history; false when it did not exist.</summary>
    Task<bool> WorkflowDeleteAsync(string id, CancellationToken ct);

    /// <summary>History entries with seq &gt; <paramref name="afterSeq"/>, oldest first.</summary>
    Task<IReadOnlyList<WorkflowEvent>> WorkflowEventListAsync(string id, long afterSeq, int limit, CancellationToken ct);

    /// <summary>Complete, fail or cancel under the workflow's write lock (see <see cref="WorkflowRules.Finish"/>).</summary>
    Task<WorkflowChange> WorkflowFinishAsync(string id, TaskState outcome, string? error, string? metadata, RuleSet rules, CancellationToken ct);

    Task<WorkflowSnapshot?> WorkflowGetAsync(string id, CancellationToken ct);

    Task<WorkflowPage> WorkflowListAsync(WorkflowListParams p, CancellationToken ct);

    /// <summary>Sets a leaf phase's progress under the workflow's write lock (see <see cref="WorkflowRules.UpdatePhase"/>).</summary>
    Task<WorkflowChange> WorkflowUpdatePhaseAsync(string id, string phaseKey, double progress, string? metadata, RuleSet rules, CancellationToken ct);

    /// <summary>Claims (scope, key) for a request, or reports what is already stored under it.</summary>
    Task<IdempotencyClaim> IdempotencyBeginAsync(IdempotencyBeginParams p, CancellationToken ct);

    /// <summary>Stores the answer for a claimed key so later duplicates replay it.</summary>
    Task IdempotencyCompleteAsync(IdempotencyCompleteParams p, CancellationToken ct);

    /// <summary>Releases a claim whose request failed so a retry can run it.</summary>
    Task IdempotencyReleaseAsync(string scope, string key, CancellationToken ct);

    Task<int> IdempotencyDeleteExpiredAsync(DateTimeOffset now, CancellationToken ct);

    /// <summary>Records that a live connection opened.</summary>
    Task SessionOpenAsync(LiveSession session, CancellationToken ct);

    /// <summary>Marks sessions inactive.</summary>
    Task SessionCloseAsync(IReadOnlyList<string> ids, DateTimeOffset now, CancellationToken ct);

    /// <summary>Bumps <c>lastHeartbeat</c> of the given live sessions.</summary>
    Task SessionHeartbeatAsync(IReadOnlyList<string> ids, DateTimeOffset now, CancellationToken ct);

    Task<IReadOnlyList<LiveSession>> SessionListAsync(bool? active, int limit, CancellationToken ct);

    /// <summary>Marks active sessions of <paramref name="nodeId"/> inactive (start-up after a crash), or, with null, every session whose heartbeat is older than <paramref name="staleBefore"/>.</summary>
    Task<int> SessionSweepAsync(string? nodeId, DateTimeOffset staleBefore, DateTimeOffset now, CancellationToken ct);

    /// <summary>A round trip to the database.</summary>
    Task PingAsync(CancellationToken ct);

    /// <summary>Inserts a job, and with <paramref name="run"/> its first run, in one transaction.</summary>
    /// <exception cref="JobAlreadyExistsException"/>
    Task<(Job Job, RunChange? Run)> JobCreateAsync(Job job, NewRun? run, CancellationToken ct);

    /// <summary>The job, soft-deleted or not; null when there is none.</summary>
    Task<Job?> JobGetAsync(string id, CancellationToken ct);

    Task<JobPage> JobListAsync(JobListParams p, CancellationToken ct);

    /// <summary>Replaces the job if its version is still <paramref name="expectedVersion"/>; the stored version becomes <c>expectedVersion + 1</c>.</summary>
    /// <exception cref="JobNotFoundException"/>
    /// <exception cref="JobVersionMismatchException"/>
    Task<Job> JobUpdateAsync(Job job, long expectedVersion, CancellationToken ct);

    /// <summary>
    /// Fires up to <paramref name="limit"/> active jobs whose stored next fire time has come: each
    /// gets a run (unless its misfire policy skips a late firing, or a pending run holds its unique
    /// key) and its next fire time, in one transaction per job, so no firing is lost or doubled
    /// across restarts and nodes.
    /// </summary>
    Task<IReadOnlyList<RunChange>> JobFireDueAsync(DateTimeOffset now, IScheduleMath math, int limit, CancellationToken ct);

    /// <summary>Creates the runs (each a task) in one transaction; any failure writes none.</summary>
    /// <exception cref="RunUniqueConflictException"/>
    Task<IReadOnlyList<RunChange>> RunEnqueueAsync(IReadOnlyList<NewRun> runs, CancellationToken ct);

    Task<JobRun?> RunGetAsync(string taskId, CancellationToken ct);

    /// <summary>A job's runs with their tasks' status, newest first.</summary>
    Task<IReadOnlyList<(JobRun Run, TaskState Status)>> RunListByJobAsync(string jobId, int limit, CancellationToken ct);

    /// <summary>Leases up to <c>Max</c> due pending runs of the given queues (and types), highest priority first, then oldest.</summary>
    Task<IReadOnlyList<RunChange>> RunClaimAsync(ClaimRequest request, CancellationToken ct);

    /// <summary>
    /// Like <see cref="RunClaimAsync"/>, but only reserves the runs (<see cref="JobRun.Reserved"/>): their
    /// tasks stay pending until <see cref="RunStartAsync"/>. One reservation can fill a worker's local queue.
    /// </summary>
    Task<IReadOnlyList<JobRun>> RunReserveAsync(ClaimRequest request, CancellationToken ct);

    /// <summary>Starts a reserved run's attempt and renews its lease.</summary>
    /// <exception cref="LeaseLostException">The reservation lapsed, or the run was canceled meanwhile.</exception>
    Task<RunChange> RunStartAsync(string taskId, string leaseToken, TimeSpan lease, CancellationToken ct);

    /// <summary>Extends the caller's lease; the answer says whether a cancel was requested.</summary>
    /// <exception cref="LeaseLostException"/>
    Task<JobRun> RunHeartbeatAsync(string taskId, string leaseToken, TimeSpan lease, CancellationToken ct);

    /// <exception cref="LeaseLostException"/>
    Task<RunChange> RunCompleteAsync(string taskId, string leaseToken, string? result, CancellationToken ct);

    /// <summary>A failed attempt: retried with backoff (or at <paramref name="retryAt"/>) while attempts remain, else the run fails.</summary>
    /// <exception cref="LeaseLostException"/>
    Task<RunChange> RunFailAsync(string taskId, string leaseToken, string error, bool retryable, DateTimeOffset? retryAt, CancellationToken ct);

    /// <summary>A pending run is canceled at once; a running one records the request for its worker. Null when it had already finished.</summary>
    /// <exception cref="RunNotFoundException"/>
    Task<RunChange?> RunCancelAsync(string taskId, CancellationToken ct);

    /// <summary>
    /// Fails (and so retries or ends) up to <paramref name="limit"/> running runs whose lease expired before
    /// <paramref name="now"/>; reservations that lapsed go back to the queue (not returned: their tasks did not change).
    /// </summary>
    Task<IReadOnlyList<RunChange>> RunExpireLeasesAsync(DateTimeOffset now, int limit, CancellationToken ct);
}
