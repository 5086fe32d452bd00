namespace SpectralNotify.Postgres;

/// <summary>
/// Application-level group commit for one hot row. Writes to one key (a counter) are serialized by
/// its row lock and each commit waits for a WAL flush, so one key tops out near one commit per
/// flush. Callers that arrive while a commit for the same key is in flight queue up; the caller
/// that finds no commit running becomes the leader and applies everything queued in one
/// transaction, then repeats until the queue is empty. Each caller still gets its own result (or
/// its own exception): a failing operation does not fail its neighbours.
/// </summary>
/// <remarks>
/// Queued operations are not cancelled by their caller's token once queued: the leader may already
/// have written them. The leader's token is not used either, so a leader that disconnects does not
/// abort its followers' work.
/// </remarks>
internal sealed class KeyedCombiner<TOp, TResult> where TResult : class
{
    private readonly Dictionary<string, Queue> _queues = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <param name="apply">Applies a batch in order, in one transaction; returns, per operation, its result or its exception.</param>
    public async Task<TResult> RunAsync(string key, TOp op, Func<string, IReadOnlyList<TOp>, Task<IReadOnlyList<object>>> apply)
    {
        var pending = new Pending(op);
        bool leader;
        Queue queue;
        lock (_gate)
        {
            if (!_queues.TryGetValue(key, out queue!))
            {
                _queues[key] = queue = new Queue();
            }
            queue.Items.Add(pending);
            leader = !queue.Running;
            queue.Running = true;
        }
        if (leader)
        {
            await LeadAsync(key, queue, apply);
        }
        return await pending.Completion.Task;
    }

    /// <summary>
    /// Applies what is queued now, then hands the next round to a pool thread: the caller that
    /// happened to lead gets its answer after one batch, not after the queue finally runs dry.
    /// </summary>
    private async Task LeadAsync(string key, Queue queue, Func<string, IReadOnlyList<TOp>, Task<IReadOnlyList<object>>> apply)
    {
        List<Pending> batch;
        lock (_gate)
        {
            batch = queue.Items;
            queue.Items = [];
        }
        try
        {
            var results = await apply(key, batch.Select(p => p.Op).ToList());
            for (var i = 0; i < batch.Count; i++)
            {
                if (results[i] is Exception ex)
                {
                    batch[i].Completion.TrySetException(ex);
                }
                else
                {
                    batch[i].Completion.TrySetResult((TResult)results[i]);
                }
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            foreach (var p in batch)
            {
                p.Completion.TrySetException(ex);
            }
        }
        lock (_gate)
        {
            if (queue.Items.Count == 0)
            {
                queue.Running = false;
                _queues.Remove(key);
                return;
            }
        }
        _ = Task.Run(() => LeadAsync(key, queue, apply));
    }

    private sealed class Queue
    {
        public List<Pending> Items = [];
        public bool Running;
    }

    private sealed class Pending(TOp op)
    {
        public TOp Op { get; } = op;
        public TaskCompletionSource<TResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
