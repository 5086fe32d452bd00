using System.Threading.Channels;
using SpectralNotify.Server.Realtime;

namespace SpectralNotify.Tests.Live;

/// <summary>
/// The live queues' read loop: items in order until the queue completes, cancellation that ends the
/// wait, and no allocation per wait (the channel's own waiter is reused; with a token it is not).
/// </summary>
public sealed class QueueReadingTests
{
    [Fact]
    public async Task Yields_every_item_in_order_until_the_queue_completes()
    {
        var queue = Channel.CreateBounded<int>(new BoundedChannelOptions(8) { SingleReader = true });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var read = Task.Run(async () =>
        {
            var seen = new List<int>();
            await foreach (var item in queue.Reader.ReadUntilCompleteAsync(() => queue.Writer.TryComplete(), timeout.Token))
            {
                seen.Add(item);
            }
            return seen;
        });
        for (var i = 0; i < 100; i++)
        {
            await queue.Writer.WriteAsync(i, timeout.Token);
        }
        queue.Writer.Complete();

        Assert.Equal(Enumerable.Range(0, 100), await read.WaitAsync(timeout.Token));
    }

    [Fact]
    public async Task Cancelling_completes_the_queue_ends_the_wait_and_throws()
    {
        var queue = Channel.CreateBounded<int>(new BoundedChannelOptions(8) { SingleReader = true });
        using var cancel = new CancellationTokenSource();
        var completed = 0;
        var seen = new List<int>();
        var read = Task.Run(async () =>
        {
            await foreach (var item in queue.Reader.ReadUntilCompleteAsync(() => { Interlocked.Increment(ref completed); queue.Writer.TryComplete(); }, cancel.Token))
            {
                seen.Add(item);
            }
        });
        await queue.Writer.WriteAsync(1);
        while (seen.Count == 0 && !read.IsCompleted)
        {
            await Task.Yield();
        }

        await cancel.CancelAsync(); // the reader is waiting on an empty queue without a token
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, completed);
        Assert.Equal([1], seen);
        Assert.False(queue.Writer.TryWrite(2)); // completed: the subscription takes no more messages
    }

    [Fact]
    public async Task Cancelling_may_wake_the_wait_with_an_item_that_is_never_yielded()
    {
        // The v2 connection's output: cancelling must not close the channel its subscriptions still write to.
        var queue = Channel.CreateBounded<int>(new BoundedChannelOptions(8) { SingleReader = true });
        using var cancel = new CancellationTokenSource();
        var seen = new List<int>();
        var woken = 0;
        var read = Task.Run(async () =>
        {
            await foreach (var item in queue.Reader.ReadUntilCompleteAsync(() => { Interlocked.Increment(ref woken); queue.Writer.TryWrite(-1); }, cancel.Token))
            {
                seen.Add(item);
            }
        });
        await queue.Writer.WriteAsync(1);
        while (seen.Count == 0 && !read.IsCompleted)
        {
            await Task.Yield();
        }

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, woken);
        Assert.Equal([1], seen);
        Assert.True(queue.Writer.TryWrite(2)); // still open
    }

    [Fact]
    public void Waiting_allocates_nothing_per_item()
    {
        // Synchronous continuations keep the writer and the resumed reader on this thread, so this
        // thread's allocation counter sees everything one write-and-read costs.
        const int Items = 2_000;
        using var cancel = new CancellationTokenSource(); // cancellable, as every subscription's token is

        var ours = AllocatedPerItem(Items, (reader, complete) => reader.ReadUntilCompleteAsync(complete, cancel.Token));
        var framework = AllocatedPerItem(Items, (reader, _) => reader.ReadAllAsync(cancel.Token));

        Assert.True(ours < 8, $"{ours:F1} bytes per item (the framework's ReadAllAsync with a token: {framework:F1})");
        // The control: the same harness sees the framework's waiter per wait. Should a runtime stop
        // allocating it, this fails, and QueueReading is no longer needed.
        Assert.True(framework > 32, $"the framework's ReadAllAsync with a token allocated {framework:F1} bytes per item");
    }

    private static double AllocatedPerItem(int items, Func<ChannelReader<int>, Action, IAsyncEnumerable<int>> read)
    {
        var queue = Channel.CreateBounded<int>(new BoundedChannelOptions(8) { SingleReader = true, AllowSynchronousContinuations = true });
        var e = read(queue.Reader, () => queue.Writer.TryComplete()).GetAsyncEnumerator();
        var next = e.MoveNextAsync();
        var wrong = 0; // counted, not asserted, inside the measured loop: asserting allocates
        // Warm up: the first waits create what is reused afterwards.
        for (var i = 0; i < 10; i++)
        {
            next = Step(queue, e, next, i, ref wrong);
        }
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < items; i++)
        {
            next = Step(queue, e, next, i, ref wrong);
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        queue.Writer.Complete();
        Assert.Equal(0, wrong);
        return (double)allocated / items;
    }

    /// <summary>One write that resumes the waiting reader on this thread, which takes the item and waits again.</summary>
    private static ValueTask<bool> Step(Channel<int> queue, IAsyncEnumerator<int> e, ValueTask<bool> next, int item, ref int wrong)
    {
        var waited = !next.IsCompleted;
        var written = queue.Writer.TryWrite(item);
        if (!waited || !written || !next.IsCompleted || !next.Result || e.Current != item)
        {
            wrong++;
        }
        return e.MoveNextAsync();
    }
}
