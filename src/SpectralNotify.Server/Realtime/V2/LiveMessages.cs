using System.Buffers;
using System.Text.Json;

namespace SpectralNotify.Server.Realtime.V2;

/// <summary>
/// Encodes protocol-v2 server messages (docs/realtime.md, "Protocol v2"). Messages that belong to a
/// subscription are encoded once, without the subscription's <c>id</c>: each subscriber's
/// <see cref="LiveFrame"/> splices <c>{"id":"…",</c> in front, so one change is encoded once for any
/// number of subscribers.
/// </summary>
public static class LiveMessages
{
    public static readonly byte[] Heartbeat = Write(w => w.WriteString("type", "heartbeat"));
    public static readonly byte[] Unsubscribed = Write(w => w.WriteString("type", "unsubscribed"));

    public static byte[] Welcome(TimeSpan heartbeat, int maxSubscriptions) => Write(w =>
    {
        w.WriteString("type", "welcome");
        w.WriteNumber("protocol", 2);
        w.WriteNumber("heartbeatSeconds", Math.Max(1, (int)Math.Round(heartbeat.TotalSeconds)));
        w.WriteNumber("maxSubscriptions", maxSubscriptions);
    });

    public static byte[] Subscribed(string topic, string? epoch, long? seq, bool recovered) => Write(w =>
    {
        w.WriteString("type", "subscribed");
        w.WriteString("topic", topic);
        if (seq is { } s)
        {
            w.WriteString("epoch", epoch);
            w.WriteNumber("seq", s);
        }
        w.WriteBoolean("recovered", recovered);
    });

    public static byte[] Error(string code, string message) => Write(w =>
    {
        w.WriteString("type", "error");
        w.WriteString("code", code);
        w.WriteString("message", message);
    });

    // The same as on the v1 endpoints, where these messages already exist.
    public static byte[] Pong(DateTimeOffset now) => TaskMessages.Pong(now);
    public static byte[] TokenExpiring(DateTimeOffset at) => TaskMessages.TokenExpiring(at);
    public static byte[] TokenAccepted(DateTimeOffset at) => TaskMessages.TokenAccepted(at);

    public static byte[] End(string reason, long seq) => Write(w =>
    {
        w.WriteString("type", "end");
        w.WriteString("reason", reason);
        w.WriteNumber("seq", seq);
    });

    /// <summary>A <c>snapshot</c> of one entity; <paramref name="entity"/> null while it does not exist.</summary>
    public static byte[] Snapshot(string? epoch, long seq, object? entity, JsonSerializerOptions json) => Write(w =>
    {
        w.WriteString("type", "snapshot");
        w.WriteString("epoch", epoch);
        w.WriteNumber("seq", seq);
        w.WritePropertyName("entity");
        JsonSerializer.Serialize(w, entity, entity?.GetType() ?? typeof(object), json);
    });

    /// <summary>A <c>change</c>: the event and the entity after it (and for a run, its task).</summary>
    public static byte[] Change(string? epoch, long seq, object @event, object entity, object? task, JsonSerializerOptions json) => Write(w =>
    {
        w.WriteString("type", "change");
        w.WriteString("epoch", epoch);
        w.WriteNumber("seq", seq);
        w.WritePropertyName("event");
        JsonSerializer.Serialize(w, @event, @event.GetType(), json);
        w.WritePropertyName("entity");
        JsonSerializer.Serialize(w, entity, entity.GetType(), json);
        if (task is not null)
        {
            w.WritePropertyName("task");
            JsonSerializer.Serialize(w, task, task.GetType(), json);
        }
    });

    /// <summary>The <c>{"id":…,</c> that starts every message of one subscription (null id for a message that could not be read).</summary>
    public static byte[] IdPrefix(string? id)
    {
        var buffer = new ArrayBufferWriter<byte>(32);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("id", id);
            w.Flush();
        }
        // The writer holds the object open: "{"id":"s1"" — add the comma that joins the rest.
        return [.. buffer.WrittenSpan, (byte)','];
    }

    internal static byte[] Write(Action<Utf8JsonWriter> body) => TaskMessages.Small(body);
}
