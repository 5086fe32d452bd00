namespace SpectralNotify.Bench;

/// <summary>Samples the server's RSS every <c>interval</c> until disposed and keeps the highest reading.</summary>
internal sealed class RssPeak : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _peak;

    public RssPeak(ServerProbe probe, TimeSpan interval)
    {
        _loop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(interval);
            try
            {
                do
                {
                    if (probe.RssKiB() is { } kib && kib > Interlocked.Read(ref _peak))
                    {
                        Interlocked.Exchange(ref _peak, kib);
                    }
                }
                while (await timer.WaitForNextTickAsync(_stop.Token));
            }
            catch (OperationCanceledException)
            {
                // disposed
            }
        });
    }

    /// <summary>The highest RSS seen so far in KiB, or null without a server pid.</summary>
    public long? PeakKiB => Interlocked.Read(ref _peak) is > 0 and var p ? p : null;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
