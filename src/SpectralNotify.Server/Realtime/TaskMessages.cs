using System.Buffers;
using System.Text.Json;
using SpectralNotify.Tasks;

namespace SpectralNotify.Server.Realtime;

/// <summary>
/// Encodes the live task messages once, to UTF-8, in the reference server's shapes and key order
/// (protocol §5.3) with <c>seq</c> appended: <c>event</c>, <c>progress</c>, <c>complete</c>,
/// <c>fail</c>, <c>cancel</c>; plus our own <c>created</c>, <c>updated</c>, <c>tool</c>, <c>deleted</c> and
/// <c>snapshot</c>, which reference clients ignore. <c>task</c> is the reference TaskMetadata
/// (<c>id: 1</c>, metadata as a JSON string).
/// </summary>
public static class TaskMessages
{
    internal static readonly JsonWriterOptions Options = Wire.ReferenceRows.Options;

    /// <summary>The message type a stored event replays as.</summary>
    public static string TypeOf(TaskEvent e) => e.Kind switch
    {
        TaskChangeKind.Event => "event",
        TaskChangeKind.Progress => "progress",
        TaskChangeKind.Complete => "complete",
        TaskChangeKind.Fail => "fail",
        TaskChangeKind.Cancel => "cancel",
        TaskChangeKind.Created => "created",
        TaskChangeKind.Tool => "tool",
        _ => "updated",
    };

    /// <summary>The message for <paramref name="e"/>, carrying <paramref name="task"/> as its <c>task</c> field.</summary>
    public static byte[] Encode(TaskEvent e, TaskItem task)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer, Options))
        {
            var type = TypeOf(e);
            w.WriteStartObject();
            w.WriteString("type", type);
            w.WriteString("taskId", e.TaskId);
            switch (type)
            {
                case "event":
                case "tool":
                    w.WriteStartObject("event");
                    w.WriteString("eventType", e.Type);
                    w.WriteString("message", e.Message);
                    if (e.Progress is { } p)
                    {
                        w.WriteNumber("progress", p);
                    }
                    w.WriteString("timestamp", Clock.ToWire(e.Timestamp));
                    w.WriteEndObject();
                    if (type == "tool" && e.Metadata is not null)
                    {
                        w.WritePropertyName("tool");
                        w.WriteRawValue(e.Metadata, skipInputValidation: true);
                    }
                    break;
                case "progress":
                    w.WriteNumber("progress", e.Progress ?? task.Progress);
                    break;
                case "fail":
                    w.WriteString("error", e.Message);
                    break;
            }
            w.WritePropertyName("task");
            Wire.ReferenceRows.TaskMetadata(w, task);
            w.WriteString("timestamp", Clock.ToWire(e.Timestamp));
            w.WriteNumber("seq", e.Seq);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary><c>{"type":"snapshot","seq":n,"task":Task|null}</c> with the v1 task shape.</summary>
    public static byte[] Snapshot(TaskItem? task, JsonSerializerOptions json)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer, Options))
        {
            w.WriteStartObject();
            w.WriteString("type", "snapshot");
            w.WriteNumber("seq", task?.LastSeq ?? 0);
            w.WritePropertyName("task");
            if (task is null)
            {
                w.WriteNullValue();
            }
            else
            {
                JsonSerializer.Serialize(w, Api.V1.Contracts.TaskDto.From(task), json);
            }
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary><c>{"type":"deleted","taskId":…}</c> (or <c>"counter"</c>/… for other kinds).</summary>
    public static byte[] Deleted(string kind, string id, DateTimeOffset now) => Small(w =>
    {
        w.WriteString("type", "deleted");
        w.WriteString(kind == "task" ? "taskId" : kind, id);
        w.WriteString("timestamp", Clock.ToWire(now));
    });

    public static byte[] Pong(DateTimeOffset now) => Small(w =>
    {
        w.WriteString("type", "pong");
        w.WriteString("timestamp", Clock.ToWire(now));
    });

    public static byte[] TokenExpiring(DateTimeOffset expiresAt) => Small(w =>
    {
        w.WriteString("type", "token-expiring");
        w.WriteString("expiresAt", Clock.ToWire(expiresAt));
    });

    public static byte[] TokenAccepted(DateTimeOffset expiresAt) => Small(w =>
    {
        w.WriteString("type", "token-accepted");
        w.WriteString("expiresAt", Clock.ToWire(expiresAt));
    });

    public static byte[] TokenRefused(string why) => Small(w =>
    {
        w.WriteString("type", "error");
        w.WriteString("code", "invalid_token");
        w.WriteString("message", why);
    });

    /// <summary>An SSE comment line that keeps proxies from timing the stream out.</summary>
    public static readonly byte[] KeepAlive = ": keepalive"u8.ToArray();

    public static readonly byte[] InvalidFormat = Small(w =>
    {
        w.WriteString("type", "error");
        w.WriteString("message", "Invalid message format");
    });

    internal static byte[] Small(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var w = new Utf8JsonWriter(buffer, Options))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
