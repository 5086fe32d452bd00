using System.Buffers;
using System.Text.Json;
using SpectralNotify.Counters;

namespace SpectralNotify.Server.Realtime;

/// <summary>
/// The reference counter messages (protocol §5.5) plus <c>seq</c>:
/// <c>{"type":"increment"|"decrement"|"setValue","value","previousValue","metadata":CounterMetadata,"timestamp","seq"}</c>.
/// <c>set</c> and <c>reset</c> are sent as <c>setValue</c>, as the reference does; creation is our own
/// <c>created</c>. <c>metadata</c> is the reference CounterMetadata row (<c>id: 1</c>).
/// </summary>
public static class CounterMessages
{
    public static string TypeOf(CounterHistoryEntry e) => e.Operation switch
    {
        CounterOperation.Increment => "increment",
        CounterOperation.Decrement => "decrement",
        CounterOperation.Create => "created",
        _ => "setValue",
    };

    public static byte[] Encode(CounterHistoryEntry e, Counter counter)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, TaskMessages.Options))
        {
            w.WriteStartObject();
            w.WriteString("type", TypeOf(e));
            w.WriteNumber("value", e.NewValue);
            w.WriteNumber("previousValue", e.PreviousValue);
            w.WritePropertyName("metadata");
            Wire.ReferenceRows.CounterMetadata(w, counter);
            w.WriteString("timestamp", Clock.ToWire(e.Timestamp));
            w.WriteNumber("seq", e.Seq);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary><c>{"type":"snapshot","seq":n,"counter":CounterMetadata|null}</c>.</summary>
    public static byte[] Snapshot(Counter? counter) => TaskMessages.Small(w =>
    {
        w.WriteString("type", "snapshot");
        w.WriteNumber("seq", counter?.LastSeq ?? 0);
        w.WritePropertyName("counter");
        if (counter is null)
        {
            w.WriteNullValue();
        }
        else
        {
            Wire.ReferenceRows.CounterMetadata(w, counter);
        }
    });
}
