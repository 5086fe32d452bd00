using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using SpectralNotify.Counters;
using SpectralNotify.Tasks;
using SpectralNotify.Workflows;

namespace SpectralNotify.Postgres;

/// <summary>
/// The payload of a change notification, as JSON:
/// <c>{"node":"…","task":"…","seq":7,"deleted":false,"change":{"task":{…},"event":{…}}}</c>.
/// <see cref="Change"/> is left out when the JSON would not fit the NOTIFY payload limit; a
/// deletion has <c>seq</c> 0 and no change.
/// </summary>
/// <param name="Node">The node that committed it; that node ignores its own notifications.</param>
/// <param name="Kind">Null for a task; <c>counter</c> for a counter, whose name is then in <c>task</c>.</param>
internal sealed record ChangeNotice(string Node, string Task, long Seq, bool Deleted, TaskChange? Change, string? Kind = null, CounterChange? Counter = null, WorkflowChange? Workflow = null)
{
    /// <summary>
    /// PostgreSQL refuses payloads of 8,000 bytes or more. Staying well under leaves room for the
    /// position-only form and avoids edge cases around the exact limit.
    /// </summary>
    public const int MaxPayloadBytes = 7_500;

    /// <summary>The change itself when it fits, otherwise only its position (the receiver then reads storage).</summary>
    public static string ForChange(string node, TaskChange change)
    {
        var full = Serialize(new ChangeNotice(node, change.Task.Id, change.Event.Seq, false, change));
        return Encoding.UTF8.GetByteCount(full) <= MaxPayloadBytes
            ? full
            : Serialize(new ChangeNotice(node, change.Task.Id, change.Event.Seq, false, null));
    }

    /// <summary>
    /// Only the position of a change: job runs change at queue speed (a claim and a completion per
    /// run), are rarely watched, and a watcher on another node reads the event from storage.
    /// </summary>
    public static string ForPosition(string node, TaskChange change) =>
        Serialize(new ChangeNotice(node, change.Task.Id, change.Event.Seq, false, null));

    public static string ForDeletion(string node, string taskId) => Serialize(new ChangeNotice(node, taskId, 0, true, null));

    /// <summary>A counter change (<c>kind</c> "counter"; <c>task</c> then holds the counter's name). Always small.</summary>
    public static string ForCounter(string node, CounterChange change) =>
        Serialize(new ChangeNotice(node, change.Counter.Name, change.Entry.Seq, false, null, "counter", change));

    public static string ForCounterDeletion(string node, string name) => Serialize(new ChangeNotice(node, name, 0, true, null, "counter"));

    /// <summary>A workflow change (<c>kind</c> "workflow"), whole when it fits, otherwise only its position.</summary>
    public static string ForWorkflow(string node, WorkflowChange change)
    {
        var full = Serialize(new ChangeNotice(node, change.Workflow.Id, change.Event.Seq, false, null, "workflow", null, change));
        return Encoding.UTF8.GetByteCount(full) <= MaxPayloadBytes
            ? full
            : Serialize(new ChangeNotice(node, change.Workflow.Id, change.Event.Seq, false, null, "workflow"));
    }

    public static string ForWorkflowDeletion(string node, string id) => Serialize(new ChangeNotice(node, id, 0, true, null, "workflow"));

    /// <summary>
    /// The text every notice from <paramref name="node"/> starts with (the serializer writes
    /// <c>node</c> first). A node hears its own notices too, usually most of the traffic; comparing
    /// this prefix lets it drop them without parsing.
    /// </summary>
    public static string PrefixFor(string node)
    {
        var sample = Serialize(new ChangeNotice(node, "", 0, false, null));
        return sample[..(sample.IndexOf(",\"task\"", StringComparison.Ordinal) + 1)];
    }

    /// <summary>Null when the payload is not a notice (another program notifying on the channel).</summary>
    public static ChangeNotice? Parse(string payload)
    {
        try
        {
            return JsonSerializer.Deserialize(payload, ChangeNoticeJson.Default.ChangeNotice) is { Node: not null, Task: not null } n ? n : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Serialize(ChangeNotice notice) => JsonSerializer.Serialize(notice, ChangeNoticeJson.Default.ChangeNotice);
}

/// <summary>
/// Source-generated serializer of <see cref="ChangeNotice"/>. The default encoder escapes every
/// non-ASCII character, so any string (even an unpaired surrogate) survives the trip through the
/// server's text payload. Named float literals are allowed so no double can fail a write.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(ChangeNotice))]
internal sealed partial class ChangeNoticeJson : JsonSerializerContext;
