using System.Buffers;
using System.Text.Json;
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
            WriteMetadata(j, w);
            j.WriteStartArray("phases");
            foreach (var p in phases.OrderBy(p => p.Order))
            {
                WritePhase(j, w.Id, p);
            }
            j.WriteEndArray();
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
            WriteMetadata(j, s.Workflow);
        }
        j.WriteStartArray("phases");
        foreach (var p in s?.Phases ?? [])
        {
            WritePhase(j, s!.Workflow.Id, p);
        }
        j.WriteEndArray();
    });

    private static void WriteMetadata(Utf8JsonWriter j, Workflow w)
    {
        j.WriteStartObject();
        j.WriteNumber("id", 1);
        j.WriteString("workflowId", w.Id);
        j.WriteString("status", SpectralNotify.Tasks.TaskStateNames.ToWire(w.Status));
        j.WriteNumber("overallProgress", w.OverallProgress);
        j.WriteNumber("expectedPhaseCount", w.ExpectedPhaseCount);
        j.WriteNumber("completedPhaseCount", w.CompletedPhaseCount);
        if (w.ActivePhaseKey is null) { j.WriteNull("activePhaseKey"); } else { j.WriteString("activePhaseKey", w.ActivePhaseKey); }
        j.WriteString("createdAt", Clock.ToWire(w.CreatedAt));
        j.WriteString("updatedAt", Clock.ToWire(w.UpdatedAt));
        TaskMessages.WriteTime(j, "completedAt", w.CompletedAt);
        TaskMessages.WriteTime(j, "failedAt", w.FailedAt);
        TaskMessages.WriteTime(j, "canceledAt", w.CanceledAt);
        j.WriteString("metadata", w.Metadata);
        j.WriteEndObject();
    }

    private static void WritePhase(Utf8JsonWriter j, string workflowId, WorkflowPhase p)
    {
        j.WriteStartObject();
        j.WriteString("workflowId", workflowId);
        j.WriteString("phaseKey", p.Key);
        j.WriteString("label", p.Label);
        j.WriteNumber("weight", p.Weight);
        j.WriteString("status", SpectralNotify.Tasks.TaskStateNames.ToWire(p.Status));
        j.WriteNumber("progress", p.Progress);
        j.WriteNumber("order", p.Order);
        if (p.ParentPhaseKey is null) { j.WriteNull("parentPhaseKey"); } else { j.WriteString("parentPhaseKey", p.ParentPhaseKey); }
        j.WriteNumber("depth", p.Depth);
        TaskMessages.WriteTime(j, "startedAt", p.StartedAt);
        TaskMessages.WriteTime(j, "updatedAt", p.UpdatedAt);
        TaskMessages.WriteTime(j, "completedAt", p.CompletedAt);
        j.WriteEndObject();
    }
}
