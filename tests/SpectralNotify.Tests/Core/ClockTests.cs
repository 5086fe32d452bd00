using System.Globalization;
using SpectralNotify.Sqlite;

namespace SpectralNotify.Tests.Core;

/// <summary>The wire and stored time text, written and read by position, matches the custom format it replaced.</summary>
public sealed class ClockTests
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static TheoryData<string> Instants() =>
    [
        "0001-01-01T00:00:00.000Z", "1999-12-31T23:59:59.999Z", "2024-02-29T12:00:05.120Z",
        "2026-12-02T14:20:28.007Z", "9999-12-31T23:59:59.999Z",
    ];

    [Theory]
    [MemberData(nameof(Instants))]
    public void Writes_and_reads_the_same_text_as_the_custom_format(string text)
    {
        var t = DateTimeOffset.ParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        Assert.Equal(text, Clock.ToWire(t));
        Assert.Equal(t, SqliteRows.ParseTime(text));
    }

    [Fact]
    public void Writes_utc_milliseconds_whatever_the_offset_and_ticks()
    {
        var rng = new Random(7);
        for (var i = 0; i < 2000; i++)
        {
            var t = new DateTimeOffset(new DateTime(rng.NextInt64(DateTime.MinValue.Ticks + TimeSpan.TicksPerDay, DateTime.MaxValue.Ticks - TimeSpan.TicksPerDay)),
                TimeSpan.FromMinutes(rng.Next(-14 * 60, 14 * 60)));
            var text = Clock.ToWire(t);
            Assert.Equal(t.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture), text);
            Assert.Equal(Clock.Truncate(t), SqliteRows.ParseTime(text));
        }
    }

    [Theory]
    [InlineData("2026-13-02T14:20:28.007Z")]
    [InlineData("2026-02-30T14:20:28.007Z")]
    [InlineData("2026-12-02T24:20:28.007Z")]
    [InlineData("2026-12-02 14:20:28.007Z")]
    [InlineData("2026-12-02T14:20:28.07Z")]
    [InlineData("2026-12-02T14:20:28.0070000Z")]
    [InlineData("+026-12-02T14:20:28.007Z")]
    [InlineData("2026-12-02T14:20:28.0\0\0Z")]
    [InlineData("20\0\0-12-02T14:20:28.007Z")]
    [InlineData("")]
    public void Rejects_other_text_as_the_custom_format_does(string text) =>
        Assert.Throws<FormatException>(() => SqliteRows.ParseTime(text));
}
