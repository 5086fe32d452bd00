namespace SpectralNotify.Server.Realtime;

/// <summary>
/// How much one replay or gap-repair read may bring into memory for one subscriber: at most
/// <see cref="Messages"/> messages and about <see cref="Bytes"/> encoded bytes.
/// </summary>
public readonly record struct ReplayLimit(int Messages, long Bytes)
{
    /// <summary>500 messages or 1 MiB, whichever comes first.</summary>
    public static readonly ReplayLimit Default = new(500, 1024 * 1024);
}

/// <summary>
/// Messages read back from storage for one subscriber, bounded by a <see cref="ReplayLimit"/> in
/// bytes as well as in messages: a 500-event page of a 2,000-phase workflow used to be 220 MB per
/// connection (audit finding 7). A page always takes its first message, whatever its size, so a
/// replay always moves on; it stops taking messages once either limit is reached.
/// </summary>
/// <remarks>
/// Bytes shared by consecutive messages (<see cref="Outgoing.Shared"/>) are counted once: that is
/// what the page holds.
/// </remarks>
public sealed class ReplayPage(ReplayLimit limit)
{
    private readonly List<Outgoing> _messages = [];
    private long _bytes;
    private byte[]? _lastShared;

    /// <summary>An empty page: nothing was stored after the requested seq.</summary>
    public static ReplayPage Empty(ReplayLimit limit) => new(limit);

    public IReadOnlyList<Outgoing> Messages => _messages;

    /// <summary>True once a limit is reached: storage may hold more, so the reader asks again after the last message.</summary>
    public bool Full => _messages.Count >= limit.Messages || _bytes >= limit.Bytes;

    /// <summary>Encodes and adds items in order until the page is full; returns the page.</summary>
    public ReplayPage Fill<T>(IEnumerable<T> items, Func<T, Outgoing> encode)
    {
        foreach (var item in items)
        {
            if (Full)
            {
                break;
            }
            var message = encode(item);
            _messages.Add(message);
            _bytes += message.OwnLength;
            if (message.Shared is { } shared && !ReferenceEquals(shared, _lastShared))
            {
                _bytes += shared.Length;
                _lastShared = shared;
            }
        }
        return this;
    }
}
