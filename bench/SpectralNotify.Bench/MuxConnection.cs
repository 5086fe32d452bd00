using System.Buffers.Text;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace SpectralNotify.Bench;

/// <summary>
/// One protocol-v2 WebSocket (<c>/api/v1/live</c>) holding one <c>task:&lt;id&gt;</c> subscription
/// per task, ids <c>s0 … sN-1</c>. A single receive loop stamps each message the moment its last
/// frame arrives (Stopwatch for send → receive, wall clock for the server's event timestamp →
/// receive: the server runs on this machine, so both read the same clock), then routes it by
/// <c>id</c> to its <see cref="MuxStream"/>.
/// </summary>
internal sealed class MuxConnection(int subscriptions, int ticks) : IDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly TaskCompletionSource<int> _welcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _allAnswered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _answered;
    private long _received;
    private long _warmup;

    public MuxStream[] Streams { get; } = Enumerable.Range(0, subscriptions).Select(_ => new MuxStream(ticks)).ToArray();
    public Task Loop { get; private set; } = Task.CompletedTask;

    /// <summary>Measured-phase changes received, all subscriptions.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Warm-up changes received, all subscriptions.</summary>
    public long WarmupReceived => Interlocked.Read(ref _warmup);

    public long OtherMessages;
    public long Unparsed;
    /// <summary>Bytes of every message received, all types.</summary>
    public long BytesReceived;
    public long Messages;
    public string? EndReason { get; private set; }

    /// <summary>Opens the socket and waits for <c>welcome</c>; returns its <c>maxSubscriptions</c>.</summary>
    public async Task<int> ConnectAsync(Uri wsUri, string key, CancellationToken ct)
    {
        _socket.Options.KeepAliveInterval = TimeSpan.Zero;
        _socket.Options.SetRequestHeader("X-API-Key", key);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        await _socket.ConnectAsync(wsUri, timeout.Token);
        Loop = Task.Run(() => ReceiveLoopAsync(ct), CancellationToken.None);
        return await _welcome.Task.WaitAsync(timeout.Token);
    }

    /// <summary>Sends one <c>subscribe</c> per task and waits until each is answered (<c>subscribed</c> or <c>error</c>).</summary>
    public async Task SubscribeAllAsync(IReadOnlyList<string> taskIds, TimeSpan timeout, CancellationToken ct)
    {
        for (var i = 0; i < taskIds.Count; i++)
        {
            var message = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
            {
                ["type"] = "subscribe",
                ["id"] = Fmt.S($"s{i}"),
                ["topic"] = "task:" + taskIds[i],
            });
            await _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, ct);
        }
        await Task.WhenAny(_allAnswered.Task, Loop, Task.Delay(timeout, ct));
    }

    private async Task ReceiveLoopAsync(CancellationToken ct)
    {
        EndReason = await MessageLoop.RunAsync(_socket, 64 * 1024, Handle, ct);
        _welcome.TrySetException(new InvalidOperationException("the connection ended before its welcome: " + EndReason));
    }

    private void Handle(ReadOnlySpan<byte> message, long receivedTicks)
    {
        var receivedUtcTicks = DateTime.UtcNow.Ticks;
        Interlocked.Add(ref BytesReceived, message.Length);
        Interlocked.Increment(ref Messages);
        var m = new Message();
        try
        {
            m = Message.Read(message);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            Interlocked.Increment(ref Unparsed);
            return;
        }
        var stream = m.Index >= 0 && m.Index < Streams.Length ? Streams[m.Index] : null;
        switch (m.Type)
        {
            case "welcome":
                _welcome.TrySetResult(m.MaxSubscriptions);
                return;
            case "subscribed" when stream is not null:
                stream.Subscribed(m.Seq);
                Answered();
                return;
            case "error" when stream is not null:
                stream.Error = m.Code ?? "?";
                if (stream.SubscribedSeq < 0)
                {
                    Answered();
                }
                return;
            case "change" when stream is not null:
                stream.Seq.Track(m.Seq);
                if (!Marker.TryParse(m.Text, out var tick, out var sentTicks))
                {
                    break;
                }
                if (tick < 0)
                {
                    Interlocked.Increment(ref _warmup);
                    return;
                }
                var before = stream.Received;
                stream.Change(tick, Fmt.Ms(receivedTicks - sentTicks), (receivedUtcTicks - m.TimestampUtcTicks) / (double)TimeSpan.TicksPerMillisecond);
                Interlocked.Add(ref _received, stream.Received - before);
                return;
        }
        Interlocked.Increment(ref OtherMessages);
    }

    private void Answered()
    {
        if (Interlocked.Increment(ref _answered) == Streams.Length)
        {
            _allAnswered.TrySetResult();
        }
    }

    /// <summary>Closes normally and waits (at most 5 s) for the server's close.</summary>
    public Task CloseAsync() => MessageLoop.CloseAsync(_socket, Loop);

    public void Dispose() => _socket.Dispose();

    /// <summary>The fields of one server message the bench needs (REST shapes otherwise skipped).</summary>
    private ref struct Message
    {
        public string? Type;
        public int Index;
        public long Seq;
        public string? Code;
        public int MaxSubscriptions;
        public ReadOnlySpan<byte> Text;
        public long TimestampUtcTicks;

        public static Message Read(ReadOnlySpan<byte> json)
        {
            var m = new Message { Index = -1, Seq = -1 };
            var r = new Utf8JsonReader(json);
            while (r.Read())
            {
                if (r.TokenType != JsonTokenType.PropertyName)
                {
                    continue;
                }
                if (r.CurrentDepth == 1)
                {
                    if (r.ValueTextEquals("event"u8))
                    {
                        continue; // descend: its message and timestamp are read at depth 2
                    }
                    var name = r.ValueSpan;
                    r.Read();
                    if (name.SequenceEqual("type"u8))
                    {
                        m.Type = r.GetString();
                    }
                    else if (name.SequenceEqual("id"u8) && r.TokenType == JsonTokenType.String)
                    {
                        m.Index = SubscriptionIndex(r.ValueSpan);
                    }
                    else if (name.SequenceEqual("seq"u8))
                    {
                        m.Seq = r.GetInt64();
                    }
                    else if (name.SequenceEqual("code"u8))
                    {
                        m.Code = r.GetString();
                    }
                    else if (name.SequenceEqual("maxSubscriptions"u8))
                    {
                        m.MaxSubscriptions = r.GetInt32();
                    }
                    else
                    {
                        r.Skip();
                    }
                }
                else if (r.CurrentDepth == 2 && r.ValueTextEquals("message"u8))
                {
                    r.Read();
                    m.Text = r.ValueIsEscaped ? Encoding.UTF8.GetBytes(r.GetString()!) : r.ValueSpan;
                }
                else if (r.CurrentDepth == 2 && r.ValueTextEquals("timestamp"u8))
                {
                    r.Read();
                    m.TimestampUtcTicks = r.GetDateTimeOffset().UtcTicks;
                }
                else
                {
                    r.Read();
                    r.Skip();
                }
            }
            return m;
        }

        /// <summary><c>s123</c> → 123; -1 for an id this bench did not choose.</summary>
        private static int SubscriptionIndex(ReadOnlySpan<byte> id) =>
            id.Length > 1 && id[0] == (byte)'s' && Utf8Parser.TryParse(id[1..], out int i, out var used) && used == id.Length - 1 ? i : -1;
    }
}
