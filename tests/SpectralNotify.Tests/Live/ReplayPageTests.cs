using SpectralNotify.Server.Realtime;

namespace SpectralNotify.Tests.Live;

/// <summary>Replay pages are bounded by bytes as well as by messages, and always hold at least one message.</summary>
public sealed class ReplayPageTests
{
    private static readonly ReplayLimit Limit = new(500, 1024 * 1024);

    private static Outgoing Message(long seq, int bytes, byte[]? shared = null) =>
        new(seq, "event", new byte[bytes]) { Shared = shared, Tail = shared is null ? null : [] };

    [Fact]
    public void A_page_stops_once_it_holds_a_mebibyte()
    {
        var page = new ReplayPage(Limit).Fill(Enumerable.Range(1, 10), i => Message(i, 400 * 1024));
        Assert.Equal([1L, 2L, 3L], page.Messages.Select(m => m.Seq));
        Assert.True(page.Full);
    }

    [Fact]
    public void A_message_bigger_than_the_page_still_goes_alone()
    {
        var page = new ReplayPage(Limit).Fill(Enumerable.Range(1, 3), i => Message(i, 2 * 1024 * 1024));
        Assert.Equal([1L], page.Messages.Select(m => m.Seq));
        Assert.True(page.Full);
    }

    [Fact]
    public void Shared_bytes_count_once_and_a_short_page_is_the_end()
    {
        var phases = new byte[600 * 1024];
        var page = new ReplayPage(Limit).Fill(Enumerable.Range(1, 300), i => Message(i, 100, phases));
        Assert.Equal(300, page.Messages.Count);
        Assert.False(page.Full);
        Assert.Equal(500, new ReplayPage(Limit).Fill(Enumerable.Range(1, 600), i => Message(i, 10)).Messages.Count);
    }
}
