using System.Net.WebSockets;
using System.Threading.Channels;
using SpectralNotify.Server.Realtime.V2;

namespace SpectralNotify.Tests.Live.V2;

/// <summary>
/// What a closing connection may swallow: the ways a socket or its output ends while a loop is still
/// writing (a heartbeat or a pong answered after the output was completed by shutdown, overflow or an
/// expired token). Anything else is a bug and must surface.
/// </summary>
public sealed class LiveConnectionQuietTests
{
    public static TheoryData<Exception> Closing => new()
    {
        new OperationCanceledException(),
        new WebSocketException(WebSocketError.ConnectionClosedPrematurely),
        new IOException("reset"),
        new Microsoft.AspNetCore.Connections.ConnectionAbortedException(),
        new ChannelClosedException(),
    };

    [Theory]
    [MemberData(nameof(Closing))]
    public async Task The_ways_a_connection_ends_are_swallowed(Exception closing) =>
        await LiveConnection.Quiet(Task.FromException(closing));

    [Fact]
    public async Task A_writer_that_answers_after_its_output_completed_ends_quietly()
    {
        var output = Channel.CreateBounded<int>(1);
        output.Writer.Complete();
        await LiveConnection.Quiet(output.Writer.WriteAsync(1).AsTask());
    }

    [Fact]
    public async Task Any_other_failure_surfaces()
    {
        var bug = new InvalidOperationException("a bug");
        Assert.Same(bug, await Assert.ThrowsAsync<InvalidOperationException>(() => LiveConnection.Quiet(Task.FromException(bug))));
    }
}
