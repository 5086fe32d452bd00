using SpectralNotify.Client.Models;

namespace SpectralNotify.Client.Live;

// The typed watches: one per topic of protocol v2, with the REST shapes of SpectralNotify.Client.Models.
public sealed partial class SpectralLiveClient
{
    /// <summary>
    /// Watches a task: a <see cref="LiveChangeKind.Snapshot"/> first (null entity while it does not
    /// exist yet), then each change with its event; ends after <see cref="LiveChangeKind.End"/>.
    /// </summary>
    /// <param name="id">The task's id.</param>
    /// <param name="after">Replay every change after this seq first instead of starting with a snapshot.</param>
    /// <param name="ct">Stops the watch.</param>
    public IAsyncEnumerable<LiveChange<SpectralTask, TaskEvent>> WatchTaskAsync(string id, long? after = null, CancellationToken ct = default) =>
        WatchTaskAsync(id, new LiveWatchOptions { After = after }, ct);

    /// <summary>Watches a task with every option (epoch, snapshot, follow).</summary>
    public IAsyncEnumerable<LiveChange<SpectralTask, TaskEvent>> WatchTaskAsync(string id, LiveWatchOptions options, CancellationToken ct = default) =>
        WatchAsync<SpectralTask, TaskEvent>("task:" + Id(id), options, ct);

    /// <summary>Watches a workflow (with its phases) and its events; ends when the workflow does.</summary>
    public IAsyncEnumerable<LiveChange<Workflow, WorkflowEvent>> WatchWorkflowAsync(string id, long? after = null, CancellationToken ct = default) =>
        WatchWorkflowAsync(id, new LiveWatchOptions { After = after }, ct);

    /// <summary>Watches a workflow with every option (epoch, snapshot, follow).</summary>
    public IAsyncEnumerable<LiveChange<Workflow, WorkflowEvent>> WatchWorkflowAsync(string id, LiveWatchOptions options, CancellationToken ct = default) =>
        WatchAsync<Workflow, WorkflowEvent>("workflow:" + Id(id), options, ct);

    /// <summary>Watches a counter and its history entries; a counter never ends, so the watch runs until canceled.</summary>
    public IAsyncEnumerable<LiveChange<Counter, CounterHistoryEntry>> WatchCounterAsync(string name, long? after = null, CancellationToken ct = default) =>
        WatchCounterAsync(name, new LiveWatchOptions { After = after }, ct);

    /// <summary>Watches a counter with every option (epoch, snapshot).</summary>
    public IAsyncEnumerable<LiveChange<Counter, CounterHistoryEntry>> WatchCounterAsync(string name, LiveWatchOptions options, CancellationToken ct = default) =>
        WatchAsync<Counter, CounterHistoryEntry>("counter:" + Id(name), options, ct);

    /// <summary>
    /// Watches a run: its task's events, each with the run and its task (<see cref="LiveChange{TEntity, TEvent}.Task"/>);
    /// ends when its last attempt ends (a retried attempt is an ordinary change).
    /// </summary>
    public IAsyncEnumerable<LiveChange<Run, TaskEvent>> WatchRunAsync(string id, long? after = null, CancellationToken ct = default) =>
        WatchRunAsync(id, new LiveWatchOptions { After = after }, ct);

    /// <summary>Watches a run with every option (epoch, snapshot, follow).</summary>
    public IAsyncEnumerable<LiveChange<Run, TaskEvent>> WatchRunAsync(string id, LiveWatchOptions options, CancellationToken ct = default) =>
        WatchAsync<Run, TaskEvent>("run:" + Id(id), options, ct);

    /// <summary>Watches every run of one job, as a live list (newest <c>updatedAt</c> first).</summary>
    public IAsyncEnumerable<LiveListChange<Run>> WatchJobAsync(string jobId, LiveListOptions? options = null, CancellationToken ct = default) =>
        WatchListAsync<Run>("job:" + Id(jobId), null, options, ct);

    /// <summary>Watches a live filtered list of tasks.</summary>
    public IAsyncEnumerable<LiveListChange<SpectralTask>> WatchTasksAsync(ListFilter? filter = null, LiveListOptions? options = null, CancellationToken ct = default) =>
        WatchListAsync<SpectralTask>("tasks", filter, options, ct);

    /// <summary>Watches a live filtered list of runs.</summary>
    public IAsyncEnumerable<LiveListChange<Run>> WatchRunsAsync(ListFilter? filter = null, LiveListOptions? options = null, CancellationToken ct = default) =>
        WatchListAsync<Run>("runs", filter, options, ct);

    /// <summary>Watches a live filtered list of workflows (rows without their phases).</summary>
    public IAsyncEnumerable<LiveListChange<Workflow>> WatchWorkflowsAsync(ListFilter? filter = null, LiveListOptions? options = null, CancellationToken ct = default) =>
        WatchListAsync<Workflow>("workflows", filter, options, ct);

    private static string Id(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return id;
    }
}
