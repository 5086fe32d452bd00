using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using SpectralNotify.Server.Api;
using SpectralNotify.Server.Api.V1;

namespace SpectralNotify.Server.Realtime.V2;

/// <summary>
/// <c>GET /api/v1/live/sse?topic=…</c>: one protocol-v2 subscription as server-sent events, for
/// clients that cannot open a WebSocket. Each message is an event named by its <c>type</c> with the
/// WebSocket JSON as data (<c>"id":"sse"</c>); entity events carry <c>id: epoch:seq</c>, list events
/// <c>id: cursor</c>, and <c>Last-Event-ID</c> resumes from either.
/// </summary>
public sealed class LiveSse(HttpContext http, LiveContext live, CancellationToken writing) : ILiveConnection
{
    public const string SubscriptionId = "sse";

    private readonly LiveOutput _output = new(new ByteBudget(live.Options.SubscriberQueueBytes), live.Time);

    public LiveContext Live => live;
    public LiveOutput Output => _output;
    public Access.Caller Caller { get; } = Auth.CallerClaims.ToCaller(http.User);
    public CancellationToken Writing => writing;

    /// <summary>An SSE stream has one subscription: it ends itself when it overflows.</summary>
    public void Overflowed()
    {
    }

    public ValueTask ErrorAsync(string? id, string code, string message, CancellationToken ct) =>
        _output.SendAsync(LiveMessages.IdPrefix(id), LiveMessages.Error(code, message), "error", ct);

    public static async Task<IResult> StreamAsync(HttpContext http, LiveContext live, LiveServices services)
    {
        if (await LiveV2Endpoints.RefuseAsync(http, live, firstMessageAuth: false) is { } refused)
        {
            return refused;
        }
        var request = Read(http.Request, out var problem);
        if (request is null)
        {
            var errors = new RequestErrors();
            errors.Add(problem!.Value.Field, problem.Value.Message);
            return TasksApi.Invalid(errors);
        }
        if (request.EntityId is null && Lists.ListKindNames.TryParse(request.Name, out var kind)
            && !Lists.ListFilter.TryParse(kind, request.Filter, out _, out var why))
        {
            var errors = new RequestErrors();
            errors.Add("filter", why);
            return TasksApi.Invalid(errors);
        }
        if (!await LiveOpener.MayOpenAsync(live, Auth.CallerClaims.ToCaller(http.User), request, http.RequestAborted))
        {
            return Results.Problem(statusCode: 403, title: "Forbidden", detail: $"This key or token may not read {request.Topic}.");
        }
        using var slot = services.TryEnter(http, out var full);
        if (slot is null)
        {
            return full!;
        }
        var response = http.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.Body.WriteAsync("retry: 3000\n\n"u8.ToArray(), http.RequestAborted);
        await response.Body.FlushAsync(http.RequestAborted);
        // Ends with the token it was opened with: the client reconnects with a fresh one and Last-Event-ID.
        using var tokenExpiry = TokenLease.For(http.User, live.Time) is { } lease
            ? new CancellationTokenSource(TimeSpan.FromTicks(Math.Max(0, (lease.ExpiresAt - live.Time.GetUtcNow()).Ticks)), live.Time)
            : null;
        using var writing = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, ClientConnection.Closed(http),
            tokenExpiry?.Token ?? CancellationToken.None);
        var sse = new LiveSse(http, live, writing.Token);
        using var stopping = live.Stopping.Register(() =>
        {
            sse._output.Complete();
            writing.CancelAfter(GoingAway.FlushTimeout);
        });
        live.Metrics.ConnectionOpened("sse");
        try
        {
            ILiveHandle? handle = null;
            try
            {
                handle = await LiveOpener.OpenAsync(sse, request, LiveMessages.IdPrefix(SubscriptionId), writing.Token);
            }
            catch (Exception ex) when (ex is not OperationCanceledException && Api.Problems.Map(ex).Status == 503)
            {
                await sse.ErrorAsync(SubscriptionId, "unavailable", "The database cannot answer now; reconnect in a moment.", writing.Token);
            }
            // The stream ends when the subscription does (end without follow, error), after what it queued.
            _ = (handle?.Completion ?? Task.CompletedTask).ContinueWith(_ => sse._output.Complete(), TaskScheduler.Default);
            await LiveConnection.Quiet(sse.WriteLoopAsync(response, writing.Token));
            handle?.Close();
            if (handle is not null)
            {
                await LiveConnection.Quiet(handle.Completion);
                if (handle.Overflowed)
                {
                    live.Metrics.SlowConsumersClosed.Add(1);
                }
            }
        }
        finally
        {
            live.Metrics.ConnectionClosed("sse");
        }
        return Results.Empty;
    }

    /// <summary>
    /// Writes what is queued into the response's <see cref="System.IO.Pipelines.PipeWriter"/> and flushes once
    /// per batch: a <c>Response.Body.WriteAsync</c> per event was a flush (an HTTP chunk) per event.
    /// </summary>
    private async Task WriteLoopAsync(HttpResponse response, CancellationToken ct)
    {
        var reader = _output.Reader;
        var writer = response.BodyWriter;
        while (true)
        {
            var wait = reader.WaitToReadAsync(ct).AsTask();
            var first = await Task.WhenAny(wait, Task.Delay(live.Options.LiveHeartbeat, live.Time, ct));
            if (first != wait)
            {
                writer.Write("event: heartbeat\ndata: {\"type\":\"heartbeat\"}\n\n"u8);
                await SseSink.FlushAsync(writer, ct);
                await wait.WaitAsync(ct) ;
                continue;
            }
            if (!await wait)
            {
                return;
            }
            while (reader.TryRead(out var frame))
            {
                WriteEvent(writer, frame);
            }
            await SseSink.FlushAsync(writer, ct);
        }
    }

    /// <summary>
    /// One SSE event: <c>event: type</c>, the resume position as <c>id:</c> when the message has one,
    /// and the JSON, written straight into the response. The message is spliced once into a pooled
    /// buffer and its top-level fields scanned there: this runs for every message to every SSE
    /// subscriber, where a parsed document and a string copy of each message cost several times its size.
    /// </summary>
    private static void WriteEvent(PipeWriter writer, LiveFrame frame)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(frame.Length);
        try
        {
            var json = buffer.AsSpan(0, frame.Length);
            frame.CopyTo(json);
            writer.Write("event: "u8);
            Encoding.UTF8.GetBytes(frame.Message.Type, writer);
            if (Position(json) is { } position)
            {
                writer.Write("\nid: "u8);
                Encoding.UTF8.GetBytes(position, writer);
            }
            writer.Write("\ndata: "u8);
            writer.Write(json);
            writer.Write("\n\n"u8);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary><c>epoch:seq</c> of an entity message, or the <c>cursor</c> of a list message (top-level fields only).</summary>
    internal static string? Position(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }
        string? cursor = null, epoch = null;
        long? seq = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("cursor"u8))
            {
                reader.Read();
                cursor = reader.TokenType == JsonTokenType.String ? reader.GetString() : cursor;
            }
            else if (reader.ValueTextEquals("seq"u8))
            {
                reader.Read();
                seq = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var n) ? n : seq;
            }
            else if (reader.ValueTextEquals("epoch"u8))
            {
                reader.Read();
                epoch = reader.TokenType == JsonTokenType.String ? reader.GetString() : "";
            }
            else
            {
                reader.Read();
            }
            reader.Skip(); // a nested object or array: its fields are not the message's
        }
        return cursor ?? (seq is { } s && epoch is not null ? epoch + ":" + s.ToString(CultureInfo.InvariantCulture) : null);
    }

    /// <summary>The subscription the query asks for, with <c>Last-Event-ID</c> as its resume point.</summary>
    private static SubscribeRequest? Read(HttpRequest request, out (string Field, string Message)? problem)
    {
        problem = null;
        var topic = request.Query["topic"].ToString();
        if (topic.Length == 0)
        {
            problem = ("topic", "is required: task:<id>, workflow:<id>, counter:<name>, run:<id>, job:<id>, tasks, runs or workflows");
            return null;
        }
        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var key in new[] { "after", "epoch", "snapshot", "follow", "filter", "limit", "cursor" })
        {
            var raw = request.Query[key].ToString();
            if (raw.Length == 0)
            {
                continue;
            }
            if (key is "epoch" or "cursor")
            {
                values[key] = JsonSerializer.SerializeToElement(raw);
                continue;
            }
            try
            {
                using var doc = JsonDocument.Parse(raw);
                values[key] = doc.RootElement.Clone();
            }
            catch (JsonException)
            {
                problem = (key, key == "filter" ? "must be a JSON object" : "has an invalid value");
                return null;
            }
        }
        var lastEventId = request.Headers["Last-Event-ID"].ToString();
        if (lastEventId.Length > 0)
        {
            var colon = lastEventId.LastIndexOf(':');
            if (!topic.Contains(':', StringComparison.Ordinal) || topic.StartsWith("job:", StringComparison.Ordinal))
            {
                values["cursor"] = JsonSerializer.SerializeToElement(lastEventId);
            }
            else if (colon >= 0 && long.TryParse(lastEventId.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
            {
                values["after"] = JsonSerializer.SerializeToElement(seq);
                if (colon > 0)
                {
                    values["epoch"] = JsonSerializer.SerializeToElement(lastEventId[..colon]);
                }
            }
            else
            {
                problem = ("Last-Event-ID", "must be <epoch>:<seq> as sent in the stream's event ids");
                return null;
            }
        }
        var r = SubscribeRequest.Build(SubscriptionId, topic, name => values.TryGetValue(name, out var v) ? v : null, out var error);
        if (r is null)
        {
            problem = (error!.Value.Code == "invalid-topic" ? "topic" : error.Value.Code == "invalid-filter" ? "filter" : "query", error.Value.Message);
        }
        return r;
    }
}
