using SpectralNotify.Realtime;
using SpectralNotify.Storage;
using SpectralNotify.Tools;

namespace SpectralNotify.Tasks;

/// <summary>
/// Writes through the store and announces each committed change on the <see cref="TaskFeed"/>.
/// Announcing happens after the commit returns, so no subscriber ever sees an uncommitted event.
/// </summary>
public sealed class TaskService(IStore store, TaskFeed feed)
{
    public IStore Store => store;

    public async Task<TaskChange> CreateAsync(NewTask task, CancellationToken ct)
    {
        var change = await store.TaskCreateAsync(task, ct);
        Announce(change);
        return change;
    }

    public async Task<TaskChange> MutateAsync(string id, TaskMutation mutation, CancellationToken ct)
    {
        var change = await store.TaskMutateAsync(id, mutation, ct);
        Announce(change);
        return change;
    }

    public async Task<IReadOnlyList<TaskChange>> BatchAsync(IReadOnlyList<TaskWrite> writes, CancellationToken ct)
    {
        var changes = await store.TaskBatchAsync(writes, ct);
        foreach (var change in changes)
        {
            Announce(change);
        }
        return changes;
    }

    public async Task<ToolExecution> ToolStartAsync(ToolExecution execution, CancellationToken ct)
    {
        var (started, change) = await store.ToolStartAsync(execution, ct);
        Announce(change);
        return started;
    }

    public async Task<ToolExecution> ToolFinishAsync(string taskId, string executionId, ToolFinish finish, CancellationToken ct)
    {
        var (done, change) = await store.ToolFinishAsync(taskId, executionId, finish, ct);
        Announce(change);
        return done;
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken ct)
    {
        if (await store.TaskDeleteAsync(id, ct) is not { } deleted)
        {
            return false;
        }
        Announce(deleted);
        return true;
    }

    public async Task<int> DeleteExpiredAsync(DateTimeOffset now, int limit, CancellationToken ct)
    {
        var deleted = await store.TaskDeleteExpiredAsync(now, limit, ct);
        foreach (var d in deleted)
        {
            Announce(d);
        }
        return deleted.Count;
    }

    private void Announce(TaskDeleted deleted)
    {
        feed.Publish(FeedItem.ForTask(deleted.Id, 0, null, deleted: true));
        foreach (var canceled in deleted.Canceled.SelectMany(c => c.All()))
        {
            Announce(canceled.Task);
        }
    }

    private void Announce(TaskChange change) =>
        feed.Publish(FeedItem.ForTask(change.Task.Id, change.Event.Seq, change));
}
