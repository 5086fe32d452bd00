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
    public long OtherMessages;
    public long Unparsed;
    /// <summary>Seq order of this subscriber's messages.</summary>
    public SeqTracker Seq { get; } = new(expectedFirstSeq - 1);
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
            Loop = Task.Run(async () => EndReason = await MessageLoop.RunAsync(ws, 16 * 1024, Handle, ct), CancellationToken.None);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or HttpRequestException)
        {
            ConnectError = ex.GetType().Name + ": " + ex.Message;
            ws.Dispose();
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
            Seq.Track(seq);
        }
        if (type == "event" && Marker.TryParse(text, out var i, out var sentTicks) && i >= 0 && i < _latency.Length)
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

    public async Task CloseAsync()
    {
        if (Socket is not { } ws)
        {
            return;
        }
        try
        {
            await MessageLoop.CloseAsync(ws, Loop);
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
