using System.Text;
using SpectralNotify.Server.Realtime.V2;

namespace SpectralNotify.Tests.Live.V2;

/// <summary>The <c>id:</c> of an SSE-twin event, read from the message's top-level fields without parsing it whole.</summary>
public sealed class LiveSsePositionTests
{
    [Theory]
    [InlineData("""{"id":"s","type":"change","epoch":"e1","seq":7,"entity":{"seq":99,"cursor":"x"}}""", "e1:7")]
    [InlineData("""{"id":"s","type":"subscribed","seq":0,"epoch":"e2","recovered":true}""", "e2:0")]
    [InlineData("""{"id":"s","type":"change","epoch":null,"seq":3}""", ":3")]
    [InlineData("""{"id":"s","type":"upsert","row":{"id":"t","seq":4,"epoch":"e"},"cursor":"c-12"}""", "c-12")]
    [InlineData("""{"id":"s","type":"snapshot","rows":[{"seq":1,"epoch":"e"}],"cursor":"c\u002d13"}""", "c-13")]
    [InlineData("""{"id":"s","type":"snapshot","entity":{"seq":5,"epoch":"e"}}""", null)]
    [InlineData("""{"id":"s","type":"change","seq":5}""", null)]
    [InlineData("""{"type":"pong"}""", null)]
    [InlineData("""{"id":"s","type":"error","code":"not-found","seq":"7","epoch":"e"}""", null)]
    public void The_position_is_epoch_and_seq_or_the_list_cursor(string json, string? expected) =>
        Assert.Equal(expected, LiveSse.Position(Encoding.UTF8.GetBytes(json)));
}
