using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Security.Claims;
using System.Text.Json;
using SpectralNotify.Access;
using SpectralNotify.Server.Auth;

namespace SpectralNotify.Server.Realtime.V2;

/// <summary>
/// One protocol-v2 WebSocket (<c>/api/v1/live</c>): reads client messages, opens and closes
/// subscriptions, and writes everything they send through one <see cref="LiveOutput"/>. A failing
/// subscription gets an <c>error</c> and closes alone; only a slow client (the connection's byte
/// budget), an expired token or the server stopping close the connection.
/// </summary>
public sealed partial class LiveConnection : ILiveConnection
{
    private const int MaxIncomingMessageBytes = 64 * 1024;
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(10);
    public const System.Net.WebSockets.WebSocketCloseStatus SlowConsumer = (WebSocketCloseStatus)4008;

    private readonly WebSocket _socket;
    private readonly HttpContext _http;
    private readonly LiveContext _live;
    private readonly LiveOutput _output;
    private readonly TokenLease? _lease;
    private readonly ConcurrentDictionary<string, ILiveHandle> _subs = new(StringComparer.Ordinal);
    /// <summary>Each open subscription's topic (and list filter), for the session row: who watches what.</summary>
    private readonly ConcurrentDictionary<string, string> _watching = new(StringComparer.Ordinal);
    private readonly string? _sessionId;
    private readonly TaskCompletionSource _overflow = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _writing;
    private Caller _caller;
    private volatile bool _dropping;

    public LiveConnection(WebSocket socket, HttpContext http, LiveContext live, ClaimsPrincipal user, TokenLease? lease, CancellationToken ct, string? sessionId = null)
    {
        _sessionId = sessionId;
        _socket = socket;
        _http = http;
        _live = live;
        _lease = lease;
        _caller = user.ToCaller();
        _output = new LiveOutput(new ByteBudget(live.Options.SubscriberQueueBytes), live.Time);
        _writing = CancellationTokenSource.CreateLinkedTokenSource(ct);
    }

    public LiveContext Live => _live;
    public LiveOutput Output => _output;
    public Caller Caller => Volatile.Read(ref _caller);
    public CancellationToken Writing => _writing.Token;

    public async Task RunAsync(CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var stopping = _live.Stopping.Register(() =>
        {
            foreach (var h in _subs.Values)
            {
                h.Close();
            }
            _output.Complete();
            _writing.CancelAfter(GoingAway.FlushTimeout);
        });
        await _output.SendAsync(null, LiveMessages.Welcome(_live.Options.LiveHeartbeat, _live.Options.LiveMaxSubscriptions), "welcome", ct);
        var writer = WriteLoopAsync(_writing.Token);
        var reader = ReadLoopAsync(cts.Token);
        var heartbeat = HeartbeatAsync(cts.Token);
        var expired = _lease is null ? Task.Delay(Timeout.Infinite, cts.Token)
            : _lease.ExpiredAsync(at => _ = _output.SendAsync(null, LiveMessages.TokenExpiring(at), "token-expiring", cts.Token).AsTask(), cts.Token);
        var first = await Task.WhenAny(writer, reader, expired, _overflow.Task);
        foreach (var h in _subs.Values)
        {
            h.Close();
        }
        if (first != reader)
        {
            var goingAway = _live.Stopping.IsCancellationRequested;
            var (status, reason) = goingAway ? (GoingAway.Status, "server shutting down; resume each subscription")
                : first == expired ? (LiveTokenRenewal.Expired, "Token expired; reconnect with a fresh token and resume")
                : first == _overflow.Task ? (SlowConsumer, "Subscriber fell behind; reconnect and resume each subscription")
                : (WebSocketCloseStatus.InternalServerError, "Server error; reconnect and resume each subscription");
            if (first == _overflow.Task && !goingAway)
            {
                _live.Metrics.SlowConsumersClosed.Add(1);
            }
            if (first == _overflow.Task || first == expired)
            {
                // Stop after the frame being written (cancelling it would abort the socket, and the
                // client would not learn why); a client that does not read at all is cut at the timeout.
                _dropping = true;
                _output.Complete();
            }
            else if (!goingAway)
            {
                _output.Complete();
                await Quiet(writer);
            }
            var wait = goingAway ? GoingAway.CloseTimeout : CloseTimeout;
            using var closeTimeout = new CancellationTokenSource(wait, _live.Time);
            try
            {
                await Quiet(writer).WaitAsync(closeTimeout.Token);
                await _socket.CloseOutputAsync(status, reason, closeTimeout.Token);
                await Task.WhenAny(reader, Task.Delay(wait, _live.Time, closeTimeout.Token));
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
            {
                _http.Abort();
            }
        }
        else if (_socket.State == WebSocketState.CloseReceived)
        {
            _output.Complete();
            await Quiet(writer);
            await Quiet(_socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None));
        }
        await cts.CancelAsync();
        await _writing.CancelAsync();
        await Task.WhenAll(Quiet(writer), Quiet(reader), Quiet(expired), Quiet(heartbeat));
        await Task.WhenAll(_subs.Values.Select(h => Quiet(h.Completion)));
        _writing.Dispose();
    }

    private async Task WriteLoopAsync(CancellationToken ct)
    {
        await foreach (var frame in _output.Reader.ReadUntilCompleteAsync(_output.Wake, ct))
        {
            if (_dropping)
            {
                return; // closing as too slow or expired: what is queued is not worth sending, the client resumes
            }
            await frame.WriteAsync(_socket, ct);
            if (!frame.Counted)
            {
                _live.Metrics.MessagesSent.Add(1);
            }
        }
    }

    private async Task HeartbeatAsync(CancellationToken ct)
    {
        var every = _live.Options.LiveHeartbeat;
        using var timer = new PeriodicTimer(every / 3, _live.Time);
        while (await timer.WaitForNextTickAsync(ct))
        {
            if (_output.Idle >= every)
            {
                await _output.SendAsync(null, LiveMessages.Heartbeat, "heartbeat", ct);
            }
        }
    }

    private async Task ReadLoopAsync(CancellationToken ct)
    {
        var buffer = new byte[4096];
        using var message = new MemoryStream();
        while (_socket.State == WebSocketState.Open)
        {
            var result = await _socket.ReceiveAsync(buffer, ct);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return;
            }
            message.Write(buffer, 0, result.Count);
            if (message.Length > MaxIncomingMessageBytes)
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.MessageTooBig, "Messages are limited to 64 KiB", ct);
                return;
            }
            if (!result.EndOfMessage)
            {
                continue;
            }
            var bytes = message.ToArray();
            message.SetLength(0);
            await HandleAsync(bytes, ct);
        }
    }

    private async Task HandleAsync(byte[] bytes, CancellationToken ct)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(bytes);
        }
        catch (JsonException)
        {
            await ErrorAsync(null, "bad-request", "A message must be one JSON object with a \"type\".", ct);
            return;
        }
        using (doc)
        {
            var m = doc.RootElement;
            var type = m.ValueKind == JsonValueKind.Object && m.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            switch (type)
            {
                case "ping":
                    await _output.SendAsync(null, LiveMessages.Pong(_live.Time.GetUtcNow()), "pong", ct);
                    break;
                case "subscribe":
                    await SubscribeAsync(m, ct);
                    break;
                case "unsubscribe":
                    await UnsubscribeAsync(m, ct);
                    break;
                case "auth":
                    await RenewAsync(m, ct);
                    break;
                default:
                    var id = m.ValueKind == JsonValueKind.Object && m.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null;
                    await ErrorAsync(id, "bad-request", type is null
                        ? "A message must be one JSON object with a \"type\"."
                        : $"Unknown message type \"{(type.Length > 40 ? type[..40] : type)}\": use subscribe, unsubscribe, auth or ping.", ct);
                    break;
            }
        }
    }

    private async Task SubscribeAsync(JsonElement m, CancellationToken ct)
    {
        var request = SubscribeRequest.Read(m, out var id, out var error);
        if (request is null)
        {
            await ErrorAsync(id, error!.Value.Code, error.Value.Message, ct);
            return;
        }
        if (_subs.ContainsKey(request.Id))
        {
            await ErrorAsync(request.Id, "duplicate-id", $"A subscription \"{request.Id}\" is already open on this connection; unsubscribe it first or choose another id.", ct);
            return;
        }
        if (_subs.Count >= _live.Options.LiveMaxSubscriptions)
        {
            await ErrorAsync(request.Id, "too-many-subscriptions", $"A connection holds at most {_live.Options.LiveMaxSubscriptions} subscriptions; open another connection or unsubscribe some.", ct);
            return;
        }
        var prefix = LiveMessages.IdPrefix(request.Id);
        ILiveHandle? handle;
        try
        {
            handle = await LiveOpener.OpenAsync(this, request, prefix, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && Api.Problems.Map(ex).Status == 503)
        {
            await ErrorAsync(request.Id, "unavailable", "The database cannot answer now; subscribe again in a moment.", ct);
            return;
        }
        if (handle is not null)
        {
            _watching[handle.Id] = Watched(request);
            Track(handle);
            ReportWatching();
        }
    }

    /// <summary><c>task:abc</c>, or a list with its filter: <c>tasks {"status":["failed"]}</c>.</summary>
    private static string Watched(SubscribeRequest r) =>
        r.Filter is { ValueKind: JsonValueKind.Object } f && f.EnumerateObject().Any() ? $"{r.Topic} {JsonSerializer.Serialize(f)}" : r.Topic;

    /// <summary>Longer descriptions are cut: the session row says what is watched, not every detail of 100 filters.</summary>
    private const int MaxWatchingLength = 2000;

    private void ReportWatching()
    {
        if (_sessionId is null)
        {
            return;
        }
        var text = _watching.IsEmpty ? "none" : string.Join(", ", _watching.Values.Order(StringComparer.Ordinal));
        _live.Sessions.Watching(_sessionId, text.Length <= MaxWatchingLength ? text : string.Concat(text.AsSpan(0, MaxWatchingLength - 1), "…"));
    }

    /// <summary>
    /// Subscriptions that share one <see cref="Hosting.SpectralOptions.SubscriberQueueBytes"/> of budget.
    /// A v1 connection holds one subscription and has the whole budget; here each 16 more add one
    /// budget, so a client holding many busy subscriptions is not closed as slow by one burst (one
    /// SQLite group commit can bring thousands of changes at once), while the total stays bounded by
    /// <see cref="Hosting.SpectralOptions.LiveMaxSubscriptions"/>.
    /// </summary>
    private const int SubscriptionsPerBudget = 16;

    private void Resize() =>
        _output.Budget.Max = (long)_live.Options.SubscriberQueueBytes * Math.Max(1, (_subs.Count + SubscriptionsPerBudget - 1) / SubscriptionsPerBudget);

    /// <summary>Registers an opened subscription and cleans up after it when it completes.</summary>
    private void Track(ILiveHandle handle)
    {
        _subs[handle.Id] = handle;
        Resize();
        _ = handle.Completion.ContinueWith(t =>
        {
            if (_subs.TryRemove(new KeyValuePair<string, ILiveHandle>(handle.Id, handle)))
            {
                _watching.TryRemove(handle.Id, out _);
                ReportWatching();
            }
            Resize();
            if (handle.Overflowed)
            {
                _overflow.TrySetResult();
            }
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task UnsubscribeAsync(JsonElement m, CancellationToken ct)
    {
        var id = m.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null;
        if (id is null || !_subs.TryRemove(id, out var handle))
        {
            await ErrorAsync(id, "bad-request", id is null ? "\"id\" must name an open subscription." : $"No open subscription \"{id}\".", ct);
            return;
        }
        handle.Close();
        // Removed from _subs above, so its completion below does not report: report here.
        _watching.TryRemove(id, out _);
        ReportWatching();
        await Quiet(handle.Completion);
        await _output.SendAsync(LiveMessages.IdPrefix(id), LiveMessages.Unsubscribed, "unsubscribed", ct);
    }

    /// <summary><c>{"type":"auth","token"}</c>: a fresh token extends the connection; subscriptions it no longer covers end with <c>forbidden</c>.</summary>
    private async Task RenewAsync(JsonElement m, CancellationToken ct)
    {
        var token = m.TryGetProperty("token", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (_lease is null)
        {
            await ErrorAsync(null, "invalid-token", "This connection did not open with a token; nothing to renew.", ct);
            return;
        }
        if (string.IsNullOrEmpty(token))
        {
            await ErrorAsync(null, "invalid-token", "An auth message needs a \"token\" string.", ct);
            return;
        }
        var (principal, refusal) = await _live.Tokens.AuthenticateAsync(token, ct);
        if (principal is null || TokenLease.For(principal, _live.Time) is not { } fresh)
        {
            await ErrorAsync(null, "invalid-token", refusal ?? "The token was refused.", ct);
            return;
        }
        var caller = principal.ToCaller();
        Volatile.Write(ref _caller, caller);
        _lease.Renew(fresh.ExpiresAt);
        await _output.SendAsync(null, LiveMessages.TokenAccepted(fresh.ExpiresAt), "token-accepted", ct);
        foreach (var h in _subs.Values.Where(h => !h.StillAllowed(caller)).ToList())
        {
            if (_subs.TryRemove(new KeyValuePair<string, ILiveHandle>(h.Id, h)))
            {
                h.Close();
                await Quiet(h.Completion);
                await ErrorAsync(h.Id, "forbidden", "The renewed token does not grant reading this subscription.", ct);
            }
        }
    }

    public void Overflowed() => _overflow.TrySetResult();

    public ValueTask ErrorAsync(string? id, string code, string message, CancellationToken ct) =>
        _output.SendAsync(LiveMessages.IdPrefix(id), LiveMessages.Error(code, message), "error", ct);

    internal static async Task Quiet(Task t)
    {
        try
        {
            await t;
        }
        // ChannelClosedException: the heartbeat or the reader answering after the output was completed
        // (shutdown, overflow, an expired token); the connection is closing anyway.
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException or Microsoft.AspNetCore.Connections.ConnectionAbortedException
            or System.Threading.Channels.ChannelClosedException)
        {
        }
    }
}
