using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;

namespace SpectralNotify.Client.Live;

// The connection loop: connect, resubscribe every watch, read until the link drops, wait per the
// retry policy, again. One loop runs while the client has had a watch since it last closed.
public sealed partial class SpectralLiveClient
{
    private async Task RunAsync()
    {
        var ct = disposing.Token;
        long failures = 0;
        Stopwatch? outage = null;
        while (!ct.IsCancellationRequested)
        {
            var attempt = new Attempt { Reconnecting = outage is not null };
            Exception reason;
            try
            {
                await ConnectAndReadAsync(attempt, ct).ConfigureAwait(false);
                reason = new WebSocketException(WebSocketError.ConnectionClosedPrematurely, "The server closed the live connection.");
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // every failure of the link is a reason to reconnect, reported through the events
            catch (Exception e)
#pragma warning restore CA1031
            {
                reason = e;
            }
            lock (gate)
            {
                outgoing = null;
            }
            if (ct.IsCancellationRequested)
            {
                break;
            }
            if (attempt.Welcomed)
            {
                failures = 0;
                outage = Stopwatch.StartNew();
                await RaiseAsync(Reconnecting, reason).ConfigureAwait(false);
            }
            outage ??= Stopwatch.StartNew();
            var delay = NextDelay(reason, failures, outage.Elapsed);
            if (delay is null)
            {
                await CloseAsync(reason).ConfigureAwait(false);
                return;
            }
            failures++;
            try
            {
                await Task.Delay(delay.Value, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>The wait before the next attempt, or null to stop: refusals that retrying cannot fix stop at once.</summary>
    private TimeSpan? NextDelay(Exception reason, long failures, TimeSpan elapsed)
    {
        if (reason is SpectralLiveException { Code: "unauthorized" or "refused" })
        {
            return null;
        }
        if (reason is LinkClosedException { Code: LiveProtocol.TokenExpiredCloseCode } && options.AccessTokenProvider is not null)
        {
            return TimeSpan.Zero; // at once, with a fresh token
        }
        return options.Live.RetryPolicy.NextRetryDelay(new LiveRetryContext(failures, elapsed, reason));
    }

    /// <summary>The retry policy gave up: every watch ends with the reason, and the next watch starts a new loop.</summary>
    private async Task CloseAsync(Exception reason)
    {
        var error = reason as SpectralLiveException ?? new SpectralLiveException("closed", $"The live connection is closed: {reason.Message}", reason);
        List<LiveSubscription> open;
        lock (gate)
        {
            open = [.. subscriptions.Values];
            subscriptions.Clear();
            loop = null;
        }
        foreach (var subscription in open)
        {
            subscription.Complete(error);
        }
        await RaiseAsync(Closed, error).ConfigureAwait(false);
    }

    private async Task ConnectAndReadAsync(Attempt attempt, CancellationToken ct)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        await AuthorizeAsync(socket.Options, ct).ConfigureAwait(false);
        var reader = new FrameReader();
        JsonDocument welcome;
        using (var connecting = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            connecting.CancelAfter(options.Live.ConnectTimeout);
            try
            {
                await socket.ConnectAsync(LiveUri(), connecting.Token).ConfigureAwait(false);
                welcome = await reader.ReadAsync(socket, connecting.Token).ConfigureAwait(false);
            }
            catch (WebSocketException e) when (socket.HttpStatusCode is not 0 and not HttpStatusCode.SwitchingProtocols)
            {
                throw Refusal(socket.HttpStatusCode, e);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new TimeoutException($"No welcome from {LiveUri()} within {options.Live.ConnectTimeout.TotalSeconds:0.#} s.");
            }
        }
        TimeSpan heartbeat;
        using (welcome)
        {
            if (welcome.RootElement.ValueKind != JsonValueKind.Object || !welcome.RootElement.TryGetProperty("type", out var type) || type.GetString() != "welcome")
            {
                throw new InvalidDataException("The server's first live message was not a welcome.");
            }
            heartbeat = welcome.RootElement.TryGetProperty("heartbeatSeconds", out var seconds) && seconds.TryGetInt32(out var s) && s > 0
                ? TimeSpan.FromSeconds(s)
                : TimeSpan.FromSeconds(15);
        }
        var queue = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
        lock (gate)
        {
            foreach (var subscription in subscriptions.Values)
            {
                if (attempt.Reconnecting && subscription.HoldsPosition)
                {
                    attempt.PendingResumes.Add(subscription.Id);
                }
                queue.Writer.TryWrite(LiveProtocol.Encode(subscription.SubscribeMessage()));
            }
            outgoing = queue;
        }
        attempt.Welcomed = true;
        await attempt.ReconnectedIfResumedAsync(this).ConfigureAwait(false);

        using var link = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var sending = SendAsync(socket, queue.Reader, link.Token);
        var pinging = PingAsync(queue.Writer, options.Live.PingInterval ?? heartbeat, link.Token);
        var stall = options.Live.StallTimeout ?? 2 * heartbeat;
        try
        {
            while (true)
            {
                JsonDocument message;
                using (var quiet = CancellationTokenSource.CreateLinkedTokenSource(ct))
                {
                    quiet.CancelAfter(stall);
                    try
                    {
                        message = await reader.ReadAsync(socket, quiet.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                    {
                        throw new TimeoutException($"No message from the server for {stall.TotalSeconds:0.#} s: the link is dead.");
                    }
                }
                using (message)
                {
                    await DispatchAsync(message.RootElement, attempt, queue.Writer, ct).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            lock (gate)
            {
                if (outgoing == queue)
                {
                    outgoing = null;
                }
            }
            queue.Writer.TryComplete();
            await link.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(sending, pinging).ConfigureAwait(false);
            if (ct.IsCancellationRequested && socket.State == WebSocketState.Open)
            {
                await CloseGracefullyAsync(socket).ConfigureAwait(false);
            }
            socket.Abort();
        }
    }

    private async Task DispatchAsync(JsonElement message, Attempt attempt, ChannelWriter<byte[]> queue, CancellationToken ct)
    {
        if (message.ValueKind != JsonValueKind.Object || !message.TryGetProperty("type", out var typeValue) || typeValue.GetString() is not { } type)
        {
            return;
        }
        switch (type)
        {
            case "heartbeat" or "pong" or "token-accepted" or "welcome":
                return;
            case "token-expiring":
                _ = RenewTokenAsync(queue, ct);
                return;
        }
        if (!message.TryGetProperty("id", out var idValue) || idValue.GetString() is not { } id)
        {
            return; // an error about a message the server could not read: nothing to hand to a watch
        }
        LiveSubscription? subscription;
        lock (gate)
        {
            subscriptions.TryGetValue(id, out subscription);
        }
        if (subscription is null)
        {
            return; // a watch the consumer left
        }
        switch (type)
        {
            case "subscribed":
            {
                var recovered = message.TryGetProperty("recovered", out var r) && r.ValueKind == JsonValueKind.True;
                var epoch = message.TryGetProperty("epoch", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
                long? seq = message.TryGetProperty("seq", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt64() : null;
                subscription.OnSubscribed(recovered, epoch, seq);
                await attempt.AnsweredAsync(this, id, recovered).ConfigureAwait(false);
                return;
            }
            case "error":
            {
                var code = message.TryGetProperty("code", out var c) ? c.GetString() ?? "error" : "error";
                var text = message.TryGetProperty("message", out var m) ? m.GetString() ?? code : code;
                await attempt.AnsweredAsync(this, id, recovered: false).ConfigureAwait(false);
                if (code == "unavailable")
                {
                    // The server closed it and asks to come back later; the id is free again.
                    _ = ResubscribeLaterAsync(subscription, queue, ct);
                    return;
                }
                Finish(subscription, new SpectralLiveException(code, text));
                return;
            }
        }
        if (subscription.Handle(type, message))
        {
            Finish(subscription, null);
        }
    }

    private void Finish(LiveSubscription subscription, Exception? error)
    {
        lock (gate)
        {
            subscriptions.Remove(subscription.Id);
        }
        subscription.Complete(error);
    }

    private async Task ResubscribeLaterAsync(LiveSubscription subscription, ChannelWriter<byte[]> queue, CancellationToken ct)
    {
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500 + Random.Shared.Next(1500)), ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        lock (gate)
        {
            // On a later connection every watch is subscribed again anyway.
            if (subscriptions.ContainsKey(subscription.Id) && outgoing?.Writer == queue)
            {
                queue.TryWrite(LiveProtocol.Encode(subscription.SubscribeMessage()));
            }
        }
    }

    /// <summary>The server warns 30 s before the token expires: answer with a fresh one on the same socket.</summary>
    private async Task RenewTokenAsync(ChannelWriter<byte[]> queue, CancellationToken ct)
    {
        if (options.ApiKey is not null || options.AccessTokenProvider is not { } provider)
        {
            return;
        }
        try
        {
            if (await provider(ct).ConfigureAwait(false) is { Length: > 0 } token)
            {
                queue.TryWrite(LiveProtocol.Auth(token));
            }
        }
#pragma warning disable CA1031 // without a fresh token the server closes with 4401 and the reconnect asks again
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    /// <summary>The key as <c>X-API-Key</c>, or a fresh token from the provider on every connect.</summary>
    private async ValueTask AuthorizeAsync(ClientWebSocketOptions socket, CancellationToken ct)
    {
        if (options.ApiKey is { } apiKey)
        {
            socket.SetRequestHeader("X-API-Key", apiKey);
        }
        else if (options.AccessTokenProvider is { } provider && await provider(ct).ConfigureAwait(false) is { Length: > 0 } token)
        {
            socket.SetRequestHeader("Authorization", "Bearer " + token);
        }
    }

    private Uri LiveUri()
    {
        var builder = new UriBuilder(new Uri(options.BaseAddress!, LiveProtocol.Path))
        {
            Scheme = options.BaseAddress!.Scheme == Uri.UriSchemeHttps ? "wss" : "ws",
        };
        return builder.Uri;
    }

    /// <summary>Refusals retrying cannot fix stop the client; the rest (503 over the connection cap, 401 with a token provider) are retried.</summary>
    private Exception Refusal(HttpStatusCode status, WebSocketException e) => status switch
    {
        HttpStatusCode.Unauthorized when options.AccessTokenProvider is null || options.ApiKey is not null =>
            new SpectralLiveException("unauthorized", "The server refused the live connection's credentials (HTTP 401).", e),
        HttpStatusCode.BadRequest or HttpStatusCode.Forbidden or HttpStatusCode.NotFound =>
            new SpectralLiveException("refused", $"The server refused the live connection (HTTP {(int)status}).", e),
        _ => e,
    };

    private static async Task SendAsync(ClientWebSocket socket, ChannelReader<byte[]> queue, CancellationToken ct)
    {
        try
        {
            await foreach (var frame in queue.ReadAllAsync(ct).ConfigureAwait(false))
            {
                await socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, ct).ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // a failed send means a dead link: abort, and the receive loop reports it
        catch (Exception)
#pragma warning restore CA1031
        {
            socket.Abort();
        }
    }

    /// <summary>Pings so a half-open link (the server gone without a FIN) shows up as silence.</summary>
    private static async Task PingAsync(ChannelWriter<byte[]> queue, TimeSpan interval, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                await Task.Delay(interval, ct).ConfigureAwait(false);
                if (!queue.TryWrite(LiveProtocol.Ping))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task CloseGracefullyAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "client closed", timeout.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // best effort: the socket is aborted right after
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    /// <summary>One connection attempt: whether its welcome came, and the resumed watches whose answer is awaited for <see cref="Reconnected"/>.</summary>
    private sealed class Attempt
    {
        public bool Reconnecting { get; init; }
        public bool Welcomed { get; set; }
        public HashSet<string> PendingResumes { get; } = new(StringComparer.Ordinal);
        private bool allRecovered = true;
        private bool raised;

        public Task AnsweredAsync(SpectralLiveClient client, string id, bool recovered)
        {
            if (!PendingResumes.Remove(id))
            {
                return Task.CompletedTask;
            }
            allRecovered &= recovered;
            return ReconnectedIfResumedAsync(client);
        }

        public Task ReconnectedIfResumedAsync(SpectralLiveClient client)
        {
            if (!Reconnecting || raised || PendingResumes.Count > 0)
            {
                return Task.CompletedTask;
            }
            raised = true;
            return RaiseAsync(client.Reconnected, allRecovered);
        }
    }

    /// <summary>Reads whole text messages; a close frame ends the link with its code.</summary>
    private sealed class FrameReader
    {
        private readonly ArrayBufferWriter<byte> message = new(16 * 1024);

        public async Task<JsonDocument> ReadAsync(ClientWebSocket socket, CancellationToken ct)
        {
            message.Clear();
            while (true)
            {
                var result = await socket.ReceiveAsync(message.GetMemory(8 * 1024), ct).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    throw new LinkClosedException((int?)socket.CloseStatus ?? 0, socket.CloseStatusDescription);
                }
                message.Advance(result.Count);
                if (result.EndOfMessage)
                {
                    return JsonDocument.Parse(message.WrittenMemory);
                }
            }
        }
    }
}

/// <summary>The server closed the live connection (1001 when it stops, 4008 when the client fell behind, 4401 when the token expired).</summary>
internal sealed class LinkClosedException(int code, string? reason)
    : Exception($"The server closed the live connection ({code}{(string.IsNullOrEmpty(reason) ? "" : ": " + reason)}).")
{
    public int Code { get; } = code;
}
