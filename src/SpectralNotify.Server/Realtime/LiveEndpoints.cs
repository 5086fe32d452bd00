using SpectralNotify.Access;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using SpectralNotify.Realtime;
using SpectralNotify.Server.Api;
using SpectralNotify.Server.Api.V1;
using SpectralNotify.Server.Auth;
using SpectralNotify.Server.Hosting;
using SpectralNotify.Server.Observability;

namespace SpectralNotify.Server.Realtime;

/// <summary>
/// <c>GET /ws/task/{id}</c> (WebSocket) and <c>GET /api/v1/tasks/{id}/stream</c> (server-sent events).
/// Both accept a task that does not exist yet, resume after a seq (<c>?after=N</c>, or
/// <c>Last-Event-ID</c> for SSE) and can start with a snapshot (<c>?snapshot=true</c>).
/// </summary>
public static class LiveEndpoints
{
    /// <summary>Close code sent to a subscriber whose queue overflowed; it can resume with <c>?after=</c> its last seq.</summary>
    public const WebSocketCloseStatus SlowConsumer = (WebSocketCloseStatus)4008;

    private const int MaxIncomingMessageBytes = 64 * 1024;
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(10);
    private static readonly byte[] RawPong = "pong"u8.ToArray();

    public static IEndpointRouteBuilder MapLive(this IEndpointRouteBuilder app)
    {
        app.MapGet("/ws/task/{id}", (string id, HttpContext http, LiveServices live) => WebSocketAsync(FeedItem.TaskKind, id, http, live))
            .RequireAccess(Resource.Tasks, Operation.Read).WithTags("Live").WithMetadata(LiveEndpoint.Marker);
        app.MapGet("/ws/workflow/{id}", (string id, HttpContext http, LiveServices live) => WebSocketAsync(FeedItem.WorkflowKind, id, http, live))
            .RequireAccess(Resource.Workflows, Operation.Read).WithTags("Live").WithMetadata(LiveEndpoint.Marker);
        app.MapGet("/ws/counter/{name}", (string name, HttpContext http, LiveServices live) => WebSocketAsync(FeedItem.CounterKind, name, http, live))
            .RequireAccess(Resource.Counters, Operation.Read, "name").WithTags("Live").WithMetadata(LiveEndpoint.Marker);
        app.MapGet(TasksApi.Prefix + "/{id}/stream", SseAsync).RequireAccess(Resource.Tasks, Operation.Read).WithTags("Live").WithMetadata(LiveEndpoint.Marker);
        return app;
    }

    /// <summary>Serves one WebSocket subscriber of the entity <paramref name="kind"/>/<paramref name="id"/>.</summary>
    public static async Task<IResult> WebSocketAsync(string kind, string id, HttpContext http, LiveServices live)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            // The reference's answer (protocol §1.2 step 6).
            return Results.Text("Expected WebSocket upgrade", "text/plain", statusCode: 426);
        }
        if (!http.RequestServices.GetRequiredService<OriginCheck>().Allows(http.Request))
        {
            return Results.Problem(statusCode: 403, title: "Origin not allowed",
                detail: $"WebSocket connections from {http.Request.Headers.Origin} are not allowed; the server's operator can list the origin in Cors:Origins.");
        }
        if (!TryReadOptions(id, http.Request, null, out var after, out var snapshot, out var invalid))
        {
            return invalid!;
        }
        // Refused before the upgrade: an HTTP 503 costs the server nothing more, and every client
        // library reports it, where accept-then-close would spend an upgrade on a connection it drops.
        using var slot = live.TryEnter(http, out var refused);
        if (slot is null)
        {
            return refused!;
        }
        // Live only: fix the start before the client learns it is connected, so everything it causes
        // or sees afterwards is delivered (changes committed in between are read from storage).
        after = await live.StartAsync(kind, id, after, snapshot, http.RequestAborted);
        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        var lease = TokenLease.For(http.User, live.Time);
        if (FirstMessageAuth.Requested(http) && (lease = await FirstMessageAuth.AuthenticateAsync(socket, kind, id, http)) is null)
        {
            return Results.Empty;
        }
        var sink = new WebSocketSink(socket);
        var sub = live.NewSubscription(kind, id, after, sink);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        // The writer alone: a shutdown's flush deadline cancels it, while the reader waits for the close handshake.
        using var writing = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
        using var stopping = live.OnStopping(sub, writing);
        string? sessionId = null;
        try
        {
            sessionId = await live.OpenAsync(sub, "websocket", http);
            var writer = sub.RunAsync(snapshot, live.Json, writing.Token);
            var renewal = lease is null ? null : new LiveTokenRenewal(lease, kind, id, http.RequestServices);
            var reader = ReadLoopAsync(socket, sub, live.Time, renewal, cts.Token);
            var expired = lease is null ? Task.Delay(Timeout.Infinite, cts.Token)
                : lease.ExpiredAsync(at => sub.OfferControl(TaskMessages.TokenExpiring(at), "token-expiring"), cts.Token);
            var first = await Task.WhenAny(writer, reader, expired);
            if (first != reader)
            {
                var goingAway = live.Stopping.IsCancellationRequested;
                var (status, reason) = goingAway ? (GoingAway.Status, GoingAway.Reason(sub.LastSent))
                    : first == expired ? (LiveTokenRenewal.Expired, "Token expired; reconnect with a fresh token and ?after=" + sub.LastSent.ToString(CultureInfo.InvariantCulture))
                    : sub.Overflowed ? (SlowConsumer, string.Create(CultureInfo.InvariantCulture, $"Subscriber fell behind; resume with ?after={sub.LastSent}"))
                    : (WebSocketCloseStatus.InternalServerError, "Server error; resume with ?after=" + sub.LastSent.ToString(CultureInfo.InvariantCulture));
                if (sub.Overflowed && !goingAway)
                {
                    live.Metrics.SlowConsumersClosed.Add(1);
                }
                var wait = goingAway ? GoingAway.CloseTimeout : CloseTimeout;
                using var closeTimeout = new CancellationTokenSource(wait, live.Time);
                try
                {
                    await socket.CloseOutputAsync(status, reason, closeTimeout.Token);
                    // Let the client answer the close frame; cancelling the pending receive would reset the connection.
                    await Task.WhenAny(reader, Task.Delay(wait, live.Time, closeTimeout.Token));
                }
                catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
                {
                    http.Abort();
                }
            }
            else
            {
                sub.Complete();
                if (socket.State == WebSocketState.CloseReceived)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                }
            }
            await cts.CancelAsync();
            await Task.WhenAll(Quiet(writer), Quiet(reader), Quiet(expired));
        }
        finally
        {
            await live.CloseAsync(sub, sessionId, "websocket");
        }
        return Results.Empty;
    }

    private static async Task ReadLoopAsync(WebSocket socket, Subscription sub, TimeProvider time, LiveTokenRenewal? renewal, CancellationToken ct)
    {
        var buffer = new byte[512]; // clients send tiny frames (ping); longer ones are assembled below
        using var message = new MemoryStream();
        while (socket.State == WebSocketState.Open)
        {
            var result = await socket.ReceiveAsync(buffer, ct);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return;
            }
            message.Write(buffer, 0, result.Count);
            if (message.Length > MaxIncomingMessageBytes)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.MessageTooBig, "Messages are limited to 64 KiB", ct);
                return;
            }
            if (!result.EndOfMessage)
            {
                continue;
            }
            var bytes = message.ToArray();
            message.SetLength(0);
            if (bytes.AsSpan().SequenceEqual("ping"u8))
            {
                sub.OfferControl(RawPong, "pong");
                continue;
            }
            try
            {
                using var doc = JsonDocument.Parse(bytes);
                if (doc.RootElement.ValueKind == JsonValueKind.Null)
                {
                    sub.OfferControl(TaskMessages.InvalidFormat, "error");
                }
                else if (doc.RootElement.ValueKind == JsonValueKind.Object
                    && doc.RootElement.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.ValueEquals("ping"))
                {
                    sub.OfferControl(TaskMessages.Pong(time.GetUtcNow()), "pong");
                }
                else if (doc.RootElement.ValueKind == JsonValueKind.Object
                    && doc.RootElement.TryGetProperty("type", out var auth) && auth.ValueKind == JsonValueKind.String && auth.ValueEquals("auth"))
                {
                    sub.OfferControl(renewal is null
                        ? TaskMessages.TokenRefused("This connection did not open with a token; nothing to renew.")
                        : await renewal.RenewAsync(doc.RootElement, ct), "auth");
                }
            }
            catch (JsonException)
            {
                sub.OfferControl(TaskMessages.InvalidFormat, "error");
            }
        }
    }

    private static async Task<IResult> SseAsync(string id, HttpContext http, LiveServices live)
    {
        if (!TryReadOptions(id, http.Request, http.Request.Headers["Last-Event-ID"].ToString(), out var after, out var snapshot, out var invalid))
        {
            return invalid!;
        }
        using var slot = live.TryEnter(http, out var refused);
        if (slot is null)
        {
            return refused!;
        }
        after = await live.StartAsync(FeedItem.TaskKind, id, after, snapshot, http.RequestAborted);
        var response = http.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.Body.WriteAsync("retry: 3000\n\n"u8.ToArray(), http.RequestAborted);
        await response.Body.FlushAsync(http.RequestAborted);
        var sink = new SseSink(response);
        var sub = live.NewSubscription(FeedItem.TaskKind, id, after, sink);
        string? sessionId = null;
        try
        {
            sessionId = await live.OpenAsync(sub, "sse", http);
            using var keepAlive = new PeriodicTimer(TimeSpan.FromSeconds(15), live.Time);
            var ticks = Task.Run(async () =>
            {
                while (await keepAlive.WaitForNextTickAsync(http.RequestAborted))
                {
                    sub.OfferControl(TaskMessages.KeepAlive, "keepalive");
                }
            });
            // An SSE stream cannot take a fresh token in-band: it ends when its token expires, and the
            // client reconnects with a new token and Last-Event-ID.
            using var tokenExpiry = TokenLease.For(http.User, live.Time) is { } lease
                ? new CancellationTokenSource(TimeSpan.FromTicks(Math.Max(0, (lease.ExpiresAt - live.Time.GetUtcNow()).Ticks)), live.Time)
                : null;
            using var writing = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, ClientConnection.Closed(http),
                tokenExpiry?.Token ?? CancellationToken.None);
            Task run;
            using (live.OnStopping(sub, writing))
            {
                run = sub.RunAsync(snapshot, live.Json, writing.Token);
                await Quiet(run);
            }
            if (live.Stopping.IsCancellationRequested && !http.RequestAborted.IsCancellationRequested)
            {
                if (run.IsCompletedSuccessfully)
                {
                    // Returning completes the response (the final chunk), so the client sees a clean end of stream.
                    using var closeTimeout = new CancellationTokenSource(GoingAway.CloseTimeout, live.Time);
                    await Quiet(WriteAndFlushAsync(response, GoingAway.SseComment(sub.LastSent), closeTimeout.Token));
                }
                else
                {
                    // The flush ran out, maybe mid-event: a clean end could make the client take a half-written event's id.
                    http.Abort();
                }
            }
            else if (sub.Overflowed)
            {
                live.Metrics.SlowConsumersClosed.Add(1);
            }
        }
        finally
        {
            await live.CloseAsync(sub, sessionId, "sse");
        }
        return Results.Empty;
    }

    private static async Task WriteAndFlushAsync(HttpResponse response, byte[] bytes, CancellationToken ct)
    {
        await response.Body.WriteAsync(bytes, ct);
        await response.Body.FlushAsync(ct);
    }

    private static bool TryReadOptions(string id, HttpRequest request, string? lastEventId, out long after, out bool snapshot, out IResult? invalid)
    {
        var errors = new RequestErrors();
        errors.Id("id", id, required: true);
        after = -1;
        var rawAfter = string.IsNullOrEmpty(lastEventId) ? request.Query["after"].ToString() : lastEventId;
        if (rawAfter.Length > 0 && (!long.TryParse(rawAfter, NumberStyles.None, CultureInfo.InvariantCulture, out after)))
        {
            errors.Add(string.IsNullOrEmpty(lastEventId) ? "after" : "Last-Event-ID", "must be a seq number, 0 or more");
        }
        snapshot = false;
        var rawSnapshot = request.Query["snapshot"].ToString();
        if (rawSnapshot.Length > 0 && !bool.TryParse(rawSnapshot, out snapshot))
        {
            errors.Add("snapshot", "must be true or false");
        }
        invalid = errors.Any ? TasksApi.Invalid(errors) : null;
        return !errors.Any;
    }

    private static async Task Quiet(Task t)
    {
        try
        {
            await t;
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException or Microsoft.AspNetCore.Connections.ConnectionAbortedException)
        {
        }
    }
}

/// <summary>Everything a live endpoint needs, resolved once per connection.</summary>
public sealed class LiveServices(
    TaskHub hub, SessionTracker sessions, SpectralMetrics metrics, TimeProvider time,
    SpectralOptions options, IOptions<JsonOptions> json, GracefulShutdown shutdown, LiveConnectionGate gate)
{
    /// <summary>What a refused live connection is told to wait before it tries again.</summary>
    private const string RetryAfterSeconds = "10";

    public JsonSerializerOptions Json => json.Value.SerializerOptions;
    public SpectralMetrics Metrics => metrics;
    public TimeProvider Time => time;

    /// <summary>Fires when the server starts to stop (SIGTERM, Ctrl+C): live connections end, see <see cref="GoingAway"/>.</summary>
    public CancellationToken Stopping => shutdown.Stopping;

    /// <summary>
    /// On shutdown (or at once if it has begun): <paramref name="sub"/> takes no more messages and its
    /// writer, run with <paramref name="writing"/>'s token, gets <see cref="GoingAway.FlushTimeout"/>
    /// to send what is queued. Dispose the registration before <paramref name="writing"/>.
    /// </summary>
    public CancellationTokenRegistration OnStopping(Subscription sub, CancellationTokenSource writing) =>
        shutdown.Stopping.Register(() =>
        {
            sub.Complete();
            writing.CancelAfter(GoingAway.FlushTimeout);
        });

    /// <summary>The resume point to use: the requested one, or for a live-only subscription the seq committed now.</summary>
    public async Task<long> StartAsync(string kind, string id, long after, bool snapshot, CancellationToken ct) =>
        after >= 0 || snapshot ? after : await hub.Source(kind).CurrentSeqAsync(id, ct);

    public Subscription NewSubscription(string kind, string id, long after, ILiveSink sink) =>
        new(hub.Source(kind), id, after, new QueueBounds(options.SubscriberQueueCapacity, options.SubscriberQueueBytes), sink, metrics, time);

    /// <summary>
    /// A slot under the live connection caps (dispose it when the connection ends), or null with the
    /// answer to send instead: 503 with <c>Retry-After</c> and problem details.
    /// </summary>
    public LiveConnectionGate.Lease? TryEnter(HttpContext http, out IResult? refused)
    {
        var slot = gate.TryEnter(http.Connection.RemoteIpAddress, out var reason);
        refused = null;
        if (slot is null)
        {
            metrics.LiveConnectionsRefused.Add(1);
            http.Response.Headers.RetryAfter = RetryAfterSeconds;
            refused = Results.Problem(statusCode: 503, title: "Too many live connections", detail: reason + " Try again later.");
        }
        return slot;
    }

    /// <summary>
    /// Registers with the hub (before any replay read, see <see cref="Subscription"/>) and records the
    /// session. Call it inside the <c>try</c> whose <c>finally</c> calls <see cref="CloseAsync"/>: a failed
    /// session insert must not leave the subscription in the hub or the gauge up.
    /// </summary>
    public async Task<string> OpenAsync(Subscription sub, string transport, HttpContext http)
    {
        metrics.ConnectionOpened(transport);
        hub.Add(sub);
        var client = http.Request.Query["clientId"].ToString();
        return await sessions.OpenAsync(transport, sub.Kind, sub.Id,
            client.Length > 0 ? client[..Math.Min(client.Length, 200)] : http.Connection.RemoteIpAddress?.ToString(),
            http.User.Identity?.Name, http.RequestAborted);
    }

    /// <summary>Undoes <see cref="OpenAsync"/>, also when it failed part-way (then <paramref name="sessionId"/> is null).</summary>
    public async Task CloseAsync(Subscription sub, string? sessionId, string transport)
    {
        hub.Remove(sub);
        metrics.ConnectionClosed(transport);
        if (sessionId is not null)
        {
            await sessions.CloseAsync(sessionId);
        }
    }
}
