using System.Buffers.Binary;
using System.Buffers.Text;

namespace SpectralNotify.Lists;

/// <summary>
/// The opaque position of a live list: the highest <c>updatedAt</c> (milliseconds) the subscriber has
/// been sent. A resume replays every row changed (or deleted) at or after it, so a row that changed
/// twice in one millisecond is never missed; repeats are harmless because list messages are upserts.
/// </summary>
/// <remarks>
/// Text form: <c>l1.</c> plus the base64url of the Unix milliseconds as 8 big-endian bytes. URL-safe,
/// so it can be an SSE <c>id</c> and a query parameter; the version prefix lets the form change later
/// while old cursors are still refused cleanly (they get <c>must-refetch</c>, not a wrong resume).
/// </remarks>
public static class ListCursor
{
    private const string Prefix = "l1.";

    public static string Format(DateTimeOffset updatedAt)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, Clock.Truncate(updatedAt).ToUnixTimeMilliseconds());
        return Prefix + Base64Url.EncodeToString(bytes);
    }

    /// <summary>Reads a cursor <see cref="Format"/> wrote; anything else (another version, garbage, an out-of-range time) is refused.</summary>
    public static bool TryParse(string? text, out DateTimeOffset updatedAt)
    {
        updatedAt = default;
        if (text is null || text.Length != Prefix.Length + 11 || !text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }
        Span<byte> bytes = stackalloc byte[8];
        try
        {
            if (!Base64Url.TryDecodeFromChars(text.AsSpan(Prefix.Length), bytes, out var written) || written != 8)
            {
                return false;
            }
        }
        catch (FormatException)
        {
            return false; // TryDecode still throws on characters outside the alphabet
        }
        var ms = BinaryPrimitives.ReadInt64BigEndian(bytes);
        if (ms < 0 || ms > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            return false;
        }
        updatedAt = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        // One text per instant: a cursor with other trailing bits is not one this server wrote.
        return string.Equals(Format(updatedAt), text, StringComparison.Ordinal);
    }
}
