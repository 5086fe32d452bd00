using SpectralNotify.Tasks;

namespace SpectralNotify.Storage;

/// <summary>Tasks and their event history (every write appends an event with the next seq). Part of <see cref="IStore"/>.</summary>
public interface ITaskStore
{
    /// <summary>Creates or updates many tasks in one transaction; any failure rolls back all of them.</summary>
    /// <exception cref="BatchOperationException">Names the failing operation's index.</exception>
    Task<IReadOnlyList<TaskChange>> TaskBatchAsync(IReadOnlyList<TaskWrite> writes, CancellationToken ct);

    /// <summary>Inserts the task and its event 1 in one transaction.</summary>
    /// <exception cref="TaskAlreadyExistsException"/>
    Task<TaskChange> TaskCreateAsync(NewTask task, CancellationToken ct);

    /// <summary>Deletes the task and its events (and its run); runs waiting for it are canceled. Null when it did not exist.</summary>
    Task<TaskDeleted?> TaskDeleteAsync(string id, CancellationToken ct);

    /// <summary>Deletes up to <paramref name="limit"/> tasks whose <c>expiresAt</c> ≤ <paramref name="now"/>; returns their ids.</summary>
    Task<IReadOnlyList<TaskDeleted>> TaskDeleteExpiredAsync(DateTimeOffset now, int limit, CancellationToken ct);

    /// <summary>Events with seq &gt; <paramref name="afterSeq"/>, oldest first.</summary>
    Task<IReadOnlyList<TaskEvent>> TaskEventListAsync(string taskId, long afterSeq, int limit, CancellationToken ct);

    Task<TaskItem?> TaskGetAsync(string id, CancellationToken ct);

    /// <summary>Newest first, keyset-paginated.</summary>
    Task<TaskPage> TaskListAsync(TaskListParams p, CancellationToken ct);

    /// <summary>The tasks of a workflow in <c>sequence</c> order (then creation order).</summary>
    Task<IReadOnlyList<TaskItem>> TaskListByWorkflowAsync(string workflowId, int limit, CancellationToken ct);

    /// <summary>Applies a mutation under the row's write lock and appends its event.</summary>
    /// <exception cref="TaskNotFoundException"/>
    /// <exception cref="TaskTerminalException"/>
    /// <exception cref="TaskVersionMismatchException"/>
    Task<TaskChange> TaskMutateAsync(string id, TaskMutation mutation, CancellationToken ct);
}
