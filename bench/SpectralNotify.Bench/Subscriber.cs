using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;

namespace SpectralNotify.Bench;

/// <summary>
/// One WebSocket subscriber of the fan-out scenario. It stamps every message with the receive time
/// the moment its last frame arrives, then decodes <c>type</c>, <c>seq</c> and <c>event.message</c>;
/// the message text is <c>b &lt;index&gt; &lt;Stopwatch ticks at send&gt;</c>, so delivery latency
/// needs no clock shared with the server.
/// </summary>
internal sealed class Subscriber(int index, int planned, long expectedFirstSeq)
{
    public const string Marker = "b ";

    private readonly double[] _latency = CreateNaN(planned);

    public int Index => index;
    public ClientWebSocket? Socket { get; private set; }
    public double ConnectMs { get; private set; }
    public string? ConnectError { get; private set; }
    public Task Loop { get; private set; } = Task.CompletedTask;

    /// <summary>Bench events received (first copy of each index).</summary>
    public long Received;
    /// <summary>Bench events whose index had already arrived.</summary>
    public long DuplicateIndexes;
    /// <summary>Messages whose seq was not above the last one seen.</summary>
    public long SeqDuplicates;
    /// <summary>Seq numbers skipped (sum of the jump sizes).</summary>
    public long SeqMissing;
    /// <summary>Number of jumps (a jump of 3 counts once here, 3 times in <see cref="SeqMissing"/>).</summary>
    public long SeqJumps;
    public long OtherMessages;
    public long Unparsed;
    public long LastSeq = -1;
    public string? EndReason;

    /// <summary>Delivery latency in ms per send index; NaN = not received.</summary>
    public double[] Latency => _latency;

    public async Task ConnectAsync(Uri wsUri, string key, CancellationToken ct)
    {
        var ws = new ClientWebSocket();
        ws.Options.KeepAliveInterval = TimeSpan.Zero;
        ws.Options.SetRequestHeader("X-API-Key", key);
        var t0 = Stopwatch.GetTimestamp();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            await ws.ConnectAsync(wsUri, timeout.Token);
            ConnectMs = Fmt.Ms(Stopwatch.GetTimestamp() - t0);
            Socket = ws;
            Loop = Task.Run(() => ReceiveLoopAsync(ws, ct), CancellationToken.None);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or HttpRequestException)
        {
            ConnectError = ex.GetType().Name + ": " + ex.Message;
            ws.Dispose();
        }
    }

    private async Task ReceiveLoopAsync(ClientWebSocket ws, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        var large = new ArrayBufferWriter<byte>();
        try
        {
            while (true)
            {
                var result = await ws.ReceiveAsync(buffer.AsMemory(), ct);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    EndReason = $"server close {(int?)ws.CloseStatus} {ws.CloseStatusDescription}";
                    return;
                }
                ReadOnlySpan<byte> message;
                if (result.EndOfMessage && large.WrittenCount == 0)
                {
                    message = buffer.AsSpan(0, result.Count);
                }
                else
                {
                    large.Write(buffer.AsSpan(0, result.Count));
                    if (!result.EndOfMessage)
                    {
                        continue;
                    }
                    message = large.WrittenSpan;
                }
                var received = Stopwatch.GetTimestamp();
                Handle(message, received);
                large.ResetWrittenCount();
            }
        }
        catch (OperationCanceledException)
        {
            EndReason ??= "canceled";
        }
        catch (WebSocketException ex)
        {
            EndReason ??= "error: " + ex.Message;
        }
    }

    private void Handle(ReadOnlySpan<byte> message, long receivedTicks)
    {
        string? type = null;
        long seq = -1;
        ReadOnlySpan<byte> text = default;
        try
        {
            var r = new Utf8JsonReader(message);
            while (r.Read())
            {
                if (r.TokenType != JsonTokenType.PropertyName)
                {
                    continue;
                }
                if (r.CurrentDepth == 1 && r.ValueTextEquals("type"u8))
                {
                    r.Read();
                    type = r.GetString();
                }
                else if (r.CurrentDepth == 1 && r.ValueTextEquals("seq"u8))
                {
                    r.Read();
                    seq = r.GetInt64();
                }
                else if (r.CurrentDepth == 1 && r.ValueTextEquals("event"u8))
                {
                    // descend: its properties are read at depth 2 below
                }
                else if (r.CurrentDepth == 2 && r.ValueTextEquals("message"u8))
                {
                    r.Read();
                    text = r.ValueIsEscaped ? System.Text.Encoding.UTF8.GetBytes(r.GetString()!) : r.ValueSpan;
                }
                else
                {
                    r.Read();
                    if (r.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                    {
                        r.Skip();
                    }
                }
            }
        }
        catch (JsonException)
        {
            Interlocked.Increment(ref Unparsed);
            return;
        }

        if (seq > 0)
        {
            TrackSeq(seq);
        }
        if (type == "event" && TryParseMarker(text, out var i, out var sentTicks) && i >= 0 && i < _latency.Length)
        {
            if (double.IsNaN(_latency[i]))
            {
                _latency[i] = Fmt.Ms(receivedTicks - sentTicks);
                Interlocked.Increment(ref Received);
            }
            else
            {
                Interlocked.Increment(ref DuplicateIndexes);
            }
        }
        else
        {
            Interlocked.Increment(ref OtherMessages);
        }
    }

    private void TrackSeq(long seq)
    {
        var last = LastSeq < 0 ? expectedFirstSeq - 1 : LastSeq;
        if (seq == last + 1)
        {
            LastSeq = seq;
        }
        else if (seq <= last)
        {
            SeqDuplicates++;
        }
        else
        {
            SeqMissing += seq - last - 1;
            SeqJumps++;
            LastSeq = seq;
        }
    }

    /// <summary>Parses <c>b &lt;index&gt; &lt;ticks&gt;</c>.</summary>
    private static bool TryParseMarker(ReadOnlySpan<byte> text, out int index, out long ticks)
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

    public async Task CloseAsync()
    {
        if (Socket is not { } ws)
        {
            return;
        }
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            if (ws.State == WebSocketState.Open)
            {
                await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bench done", timeout.Token);
            }
            await Loop.WaitAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or TimeoutException)
        {
            ws.Abort();
        }
        finally
        {
            ws.Dispose();
        }
    }

    private static double[] CreateNaN(int n)
    {
        var a = new double[n];
        Array.Fill(a, double.NaN);
        return a;
    }
}
