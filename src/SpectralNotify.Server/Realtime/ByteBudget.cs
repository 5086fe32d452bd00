namespace SpectralNotify.Server.Realtime;

/// <summary>
/// Bytes queued for one live connection, across all of its subscriptions: a v1 connection has one
/// subscription and so one budget of its own; a protocol-v2 connection shares one budget among up to
/// <see cref="Hosting.SpectralOptions.LiveMaxSubscriptions"/> subscriptions, so many subscriptions
/// cannot multiply what a slow client may pin in server memory.
/// </summary>
public sealed class ByteBudget(long max)
{
    private long _queued;
    private long _max = max;

    /// <summary>The bound now; a v2 connection grows it with its subscriptions (<see cref="V2.LiveConnection"/>).</summary>
    public long Max
    {
        get => Interlocked.Read(ref _max);
        set => Interlocked.Exchange(ref _max, value);
    }

    public long Queued => Interlocked.Read(ref _queued);

    /// <summary>
    /// Counts <paramref name="bytes"/> in; false when that goes over the budget, unless nothing else
    /// was queued (one message is always taken, whatever its size, so size alone never closes a
    /// connection that keeps up). The bytes stay counted either way; the connection is closing.
    /// </summary>
    public bool TryAdd(int bytes)
    {
        var queued = Interlocked.Add(ref _queued, bytes);
        return queued <= Max || queued == bytes;
    }

    public void Release(int bytes) => Interlocked.Add(ref _queued, -bytes);
}
