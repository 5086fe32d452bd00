namespace SpectralNotify;

/// <summary>Time helpers. Every timestamp is kept at millisecond precision so both engines round-trip it exactly.</summary>
public static class Clock
{
    public static DateTimeOffset Truncate(DateTimeOffset t)
    {
        var utc = t.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
    }

    /// <summary>ISO-8601 UTC with milliseconds, as on the wire: <c>2025-10-28T12:00:05.123Z</c>.</summary>
    public static string ToWire(DateTimeOffset t) =>
        t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
