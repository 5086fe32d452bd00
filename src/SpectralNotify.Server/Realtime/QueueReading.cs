using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace SpectralNotify.Server.Realtime;

/// <summary>Reading a live queue without allocating for every wait.</summary>
public static class QueueReading
{
    /// <summary>
    /// Yields items until the channel completes, like <c>ReadAllAsync(ct)</c>, but waits without a
    /// token. A channel reuses its one waiter only for waits that cannot be cancelled; every other wait
    /// allocates a new waiter and a token registration. Once per message delivered, to every subscriber,
    /// that was 77 % of the server's allocations during a fan-out (docs/benchmarks.md, "memory per
    /// subscriber"). Cancelling <paramref name="ct"/> calls <paramref name="complete"/>, which must end
    /// the wait: complete the channel's writer, or write any item (it is never yielded). The loop then
    /// throws <see cref="OperationCanceledException"/> without yielding what is still queued.
    /// </summary>
    public static async IAsyncEnumerable<T> ReadUntilCompleteAsync<T>(this ChannelReader<T> reader, Action complete,
        [EnumeratorCancellation] CancellationToken ct)
    {
        using var stop = ct.UnsafeRegister(static state => ((Action)state!)(), complete);
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            while (reader.TryRead(out var item))
            {
                ct.ThrowIfCancellationRequested();
                yield return item;
            }
        }
        ct.ThrowIfCancellationRequested();
    }
}
