using SpectralNotify.Client.Live;

namespace SpectralNotify.Tests.Client.Live;

/// <summary>
/// A retry policy the test opens: while closed, the client's reconnect waits inside
/// <see cref="NextRetryDelay"/> (so the test can restart the server and write changes the client
/// misses); open, it retries after 20 ms. It gives up (null) if the test never opens it.
/// </summary>
public sealed class GatedRetryPolicy : ILiveRetryPolicy, IDisposable
{
    private readonly ManualResetEventSlim _open = new(initialState: true);
    private int _calls;

    /// <summary>How many times the client asked for a delay.</summary>
    public int Calls => Volatile.Read(ref _calls);

    public void Close() => _open.Reset();

    public void Open() => _open.Set();

    public TimeSpan? NextRetryDelay(LiveRetryContext retryContext)
    {
        Interlocked.Increment(ref _calls);
        return _open.Wait(TimeSpan.FromSeconds(60)) ? TimeSpan.FromMilliseconds(20) : null;
    }

    public void Dispose() => _open.Dispose();
}
