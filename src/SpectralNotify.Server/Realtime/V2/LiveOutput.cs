using System.Threading.Channels;

namespace SpectralNotify.Server.Realtime.V2;

/// <summary>
/// The single way out of one protocol-v2 connection: every subscription's writer and the reader's
/// answers queue frames here, and one loop writes them, so frames never interleave. It is bounded in
/// frames and makes writers wait (a replay cannot outrun the socket); live changes wait in each
/// subscription's queue instead, bounded in bytes for the whole connection (<see cref="Budget"/>).
/// </summary>
public sealed class LiveOutput(ByteBudget budget, TimeProvider time)
{
    // Small: frames here are outside the byte budget, so this only serializes writers, it does not buffer.
    private const int Frames = 16;
    private readonly Channel<LiveFrame> _frames = Channel.CreateBounded<LiveFrame>(new BoundedChannelOptions(Frames)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });
    private long _lastWrite = time.GetTimestamp();

    public ByteBudget Budget => budget;

    public ChannelReader<LiveFrame> Reader => _frames.Reader;

    /// <summary>How long nothing has been queued: the heartbeat fills silences.</summary>
    public TimeSpan Idle => time.GetElapsedTime(Interlocked.Read(ref _lastWrite));

    public async ValueTask SendAsync(byte[]? prefix, Outgoing message, CancellationToken ct, bool counted = false)
    {
        Interlocked.Exchange(ref _lastWrite, time.GetTimestamp());
        await _frames.Writer.WriteAsync(new LiveFrame(prefix, message, counted), ct);
    }

    public ValueTask SendAsync(byte[]? prefix, byte[] payload, string type, CancellationToken ct) =>
        SendAsync(prefix, new Outgoing(Outgoing.Control, type, payload), ct);

    /// <summary>Takes no more frames; the writer ends after those queued.</summary>
    public void Complete() => _frames.Writer.TryComplete();

    /// <summary>
    /// For the WebSocket writer's loop only (<see cref="QueueReading.ReadUntilCompleteAsync{T}"/>): ends
    /// its wait once its token is cancelled without completing the output, so subscriptions still
    /// writing meet a cancelled token, as before, not a closed channel. The empty frame is never
    /// written: that loop checks the token before yielding anything. If the output is full the write
    /// fails, which is fine: a reader with frames queued is not waiting, and its next read sees the token.
    /// </summary>
    internal void Wake() => _frames.Writer.TryWrite(default);
}

/// <summary>Where a <see cref="Subscription"/> of a v2 connection writes: the connection's output, each message under its id.</summary>
public sealed class LiveOutputSink(LiveOutput output, byte[] prefix) : ILiveSink
{
    public Task SendAsync(Outgoing message, CancellationToken ct) => output.SendAsync(prefix, message, ct, counted: true).AsTask(); // the Subscription counts what it sends
}
