using SpectralNotify.Realtime;
using SpectralNotify.Storage;
using SpectralNotify.Tasks;

namespace SpectralNotify.Tests.Infrastructure;

/// <summary>
/// Test signal for background work in a server host: completes when a task reaches a status, as soon
/// as the change is announced on the host's feed (every committed change is), instead of polling.
/// </summary>
public static class FeedWait
{
    public static async Task TaskStatusAsync(IServiceProvider services, string id, TaskState status, TimeSpan timeout)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = services.GetRequiredService<TaskFeed>().Subscribe(item =>
        {
            if (item.Kind == FeedItem.TaskKind && item.Id == id && item.Change is TaskChange change && change.Task.Status == status)
            {
                reached.TrySetResult();
            }
        });
        // Subscribed first, then read: a change committed in between is seen by one or the other.
        if ((await services.GetRequiredService<IStore>().TaskGetAsync(id, CancellationToken.None))?.Status == status)
        {
            return;
        }
        await reached.Task.WaitAsync(timeout);
    }
}
