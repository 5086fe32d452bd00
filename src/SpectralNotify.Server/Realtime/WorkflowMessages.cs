using System.Buffers;
using System.Text.Json;
using SpectralNotify.Server.Wire;
using SpectralNotify.Workflows;

namespace SpectralNotify.Server.Realtime;

/// <summary>
/// The reference workflow messages (protocol §5.4) plus <c>seq</c>: <c>initialized</c>,
/// <c>phase-progress</c>, <c>complete</c>, <c>fail</c>, <c>cancel</c>, each with the reference
/// WorkflowMetadata row as <c>workflow</c> and every WorkflowPhase row, by order, as <c>phases</c>.
/// </summary>
public static class WorkflowMessages
{
    public static string TypeOf(WorkflowEvent e) => e.Type switch
    {
        "phase-progress" => "phase-progress",
        "success" => "complete",
        "error" => "fail",
        "cancel" => "cancel",
        _ => "initialized",
    };

    /// <summary>
    /// The message for <paramref name="e"/>, spliced around <paramref name="state"/> (from
    /// <see cref="State"/>): the fields of the event, then the shared <c>workflow</c> and
    /// <c>phases</c>, then <c>timestamp</c> and <c>seq</c>. The bytes on the wire are those of the
    /// message written in one go.
    /// </summary>
    public static Outgoing Message(WorkflowEvent e, Workflow w, byte[] state, DateTimeOffset? committedAt = null)
    {
        var type = TypeOf(e);
        var head = Open(j =>
        {
            j.WriteString("type", type);
            j.WriteString("workflowId", w.Id);
            switch (type)
            {
                case "initialized":
                    j.WriteNumber("overallProgress", 0);
                    break;
                case "phase-progress":
                    j.WriteString("phase", e.PhaseKey);
                    j.WriteNumber("progress", e.Progress ?? 0);
                    j.WriteNumber("overallProgress", w.OverallProgress);
                    break;
                case "complete":
                    j.WriteNumber("overallProgress", 100);
                    break;
                case "fail":
                    j.WriteString("error", e.Message);
                    break;
            }
        });
        var tail = Continue(TaskMessages.Small(j =>
        {
            j.WriteString("timestamp", Clock.ToWire(e.Timestamp));
            j.WriteNumber("seq", e.Seq);
        }));
        return new Outgoing(e.Seq, type, head, committedAt) { Shared = state, Tail = tail };
    }

    /// <summary>
    /// <c>,"workflow":WorkflowMetadata,"phases":[WorkflowPhase…]</c>: the part every message about one
    /// state of the workflow has in common, encoded once for all of them.
    /// </summary>
    public static byte[] State(Workflow w, IReadOnlyList<WorkflowPhase> phases) => Continue(Open(j =>
    {
        j.WritePropertyName("workflow");
        ReferenceRows.WorkflowMetadata(j, w);
        j.WritePropertyName("phases");
        ReferenceRows.WorkflowPhases(j, w.Id, phases);
    }));

    /// <summary>An object's opening brace and its first properties, without the closing brace.</summary>
    private static byte[] Open(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var j = new Utf8JsonWriter(buffer, TaskMessages.Options))
        {
            j.WriteStartObject();
            body(j);
            j.Flush(); // the object stays open: the shared part and the tail continue it
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Turns an object's start <c>{"a":…</c> into the continuation <c>,"a":…</c> of an open one. The
    /// writer is compact (no indentation), so the comma is exactly what it would have written there.
    /// </summary>
    private static byte[] Continue(byte[] obj)
    {
        obj[0] = (byte)',';
        return obj;
    }

    /// <summary><c>{"type":"snapshot","seq":n,"workflow":WorkflowMetadata|null,"phases":[…]}</c>.</summary>
    public static byte[] Snapshot(WorkflowSnapshot? s) => TaskMessages.Small(j =>
    {
        j.WriteString("type", "snapshot");
        j.WriteNumber("seq", s?.Workflow.LastSeq ?? 0);
        j.WritePropertyName("workflow");
        if (s is null)
        {
            j.WriteNullValue();
        }
        else
        {
            ReferenceRows.WorkflowMetadata(j, s.Workflow);
        }
        j.WritePropertyName("phases");
        ReferenceRows.WorkflowPhases(j, s?.Workflow.Id ?? "", s?.Phases ?? []);
    });
}
