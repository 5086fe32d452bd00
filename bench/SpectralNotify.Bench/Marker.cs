using System.Buffers.Text;

namespace SpectralNotify.Bench;

/// <summary>
/// The text a load generator puts in an event's message, <c>b &lt;index&gt; &lt;Stopwatch ticks at send&gt;</c>,
/// so a receiver knows which send it is and how long ago it left, without a clock shared with the server.
/// </summary>
internal static class Marker
{
    public const string Prefix = "b ";

    public static string Format(int index, long sentTicks) => Fmt.S($"{Prefix}{index} {sentTicks}");

    /// <summary>Parses <c>b &lt;index&gt; &lt;ticks&gt;</c>.</summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out int index, out long ticks)
    {
        index = -1;
        ticks = 0;
        if (!text.StartsWith("b "u8))
        {
            return false;
        }
        text = text[2..];
        if (!Utf8Parser.TryParse(text, out index, out var used) || used >= text.Length || text[used] != (byte)' ')
        {
            return false;
        }
        return Utf8Parser.TryParse(text[(used + 1)..], out ticks, out _);
    }
}
