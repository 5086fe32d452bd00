namespace SpectralNotify.Tests.Client.Live;

/// <summary>
/// Consumes one watch in the background and keeps everything it yielded, so a test can wait for a
/// message (a signal, with a deadline) and then assert on the whole sequence.
/// </summary>
public sealed class LiveRecorder<T>
{
    private readonly List<T> _items = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public LiveRecorder(IAsyncEnumerable<T> watch, CancellationToken ct = default)
    {
        Completion = PumpAsync(watch, ct);
    }

    /// <summary>Ends when the enumeration ends; faults with its error.</summary>
    public Task Completion { get; }

    public IReadOnlyList<T> Items
    {
        get { lock (_items) { return [.. _items]; } }
    }

    /// <summary>Waits until an item matches (one already received counts); fails at the deadline or when the watch ends first.</summary>
    public async Task<T> WaitForAsync(Func<T, bool> match, string what, TimeSpan? within = null)
    {
        using var deadline = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            Task changed;
            lock (_items)
            {
                foreach (var item in _items)
                {
                    if (match(item))
                    {
                        return item;
                    }
                }
                changed = _changed.Task;
            }
            if (Completion.IsCompleted)
            {
                await Completion; // its error, if any, says more than a timeout
                Assert.Fail($"The watch ended before {what}; it yielded {Items.Count} items.");
            }
            try
            {
                await Task.WhenAny(changed, Completion).WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"Timed out waiting for {what}; the watch yielded {Items.Count} items.");
            }
        }
    }

    private async Task PumpAsync(IAsyncEnumerable<T> watch, CancellationToken ct)
    {
        await Task.Yield();
        try
        {
            await foreach (var item in watch.WithCancellation(ct))
            {
                Signal(item);
            }
        }
        finally
        {
            Signal(default, add: false);
        }
    }

    private void Signal(T? item, bool add = true)
    {
        TaskCompletionSource changed;
        lock (_items)
        {
            if (add)
            {
                _items.Add(item!);
            }
            changed = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
    }
}
