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

    public static byte[] Encode(WorkflowEvent e, Workflow w, IReadOnlyList<WorkflowPhase> phases)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var j = new Utf8JsonWriter(buffer, TaskMessages.Options))
        {
            var type = TypeOf(e);
            j.WriteStartObject();
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
            j.WritePropertyName("workflow");
            ReferenceRows.WorkflowMetadata(j, w);
            j.WritePropertyName("phases");
            ReferenceRows.WorkflowPhases(j, w.Id, phases);
            j.WriteString("timestamp", Clock.ToWire(e.Timestamp));
            j.WriteNumber("seq", e.Seq);
            j.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
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
