using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using SpectralNotify.Counters;
using SpectralNotify.Tasks;
using SpectralNotify.Workflows;

namespace SpectralNotify.Server.Wire;

/// <summary>
/// The reference server's row shapes (protocol §3), written in its exact key order: nullable columns
/// as explicit <c>null</c>, <c>metadata</c> as a JSON string, the single-row tables with <c>id: 1</c>.
/// Live messages and the compatible HTTP surface share these writers, so both say the same bytes.
/// </summary>
public static class ReferenceRows
{
    /// <summary>Close to <c>JSON.stringify</c>: non-ASCII and HTML characters are written as they are.</summary>
    public static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void TaskMetadata(Utf8JsonWriter w, TaskItem t)
    {
        w.WriteStartObject();
        w.WriteNumber("id", 1);
        w.WriteString("taskId", t.Id);
        w.WriteString("status", t.Status.ToWire());
        w.WriteNumber("progress", t.Progress);
        w.WriteString("createdAt", Clock.ToWire(t.CreatedAt));
        w.WriteString("updatedAt", Clock.ToWire(t.UpdatedAt));
        Time(w, "completedAt", t.CompletedAt);
        Time(w, "failedAt", t.FailedAt);
        Time(w, "canceledAt", t.CanceledAt);
        w.WriteString("metadata", t.Metadata);
        w.WriteEndObject();
    }

    /// <summary>A TaskHistory row; its <c>id</c> is the event's per-task seq.</summary>
    public static void TaskHistory(Utf8JsonWriter w, TaskEvent e)
    {
        w.WriteStartObject();
        w.WriteNumber("id", e.Seq);
        w.WriteString("eventType", e.Type);
        w.WriteString("message", e.Message);
        Number(w, "progress", e.Progress);
        w.WriteString("timestamp", Clock.ToWire(e.Timestamp));
        String(w, "metadata", e.Metadata);
        w.WriteEndObject();
    }

    public static void WorkflowMetadata(Utf8JsonWriter w, Workflow wf)
    {
        w.WriteStartObject();
        w.WriteNumber("id", 1);
        w.WriteString("workflowId", wf.Id);
        w.WriteString("status", wf.Status.ToWire());
        w.WriteNumber("overallProgress", wf.OverallProgress);
        w.WriteNumber("expectedPhaseCount", wf.ExpectedPhaseCount);
        w.WriteNumber("completedPhaseCount", wf.CompletedPhaseCount);
        String(w, "activePhaseKey", wf.ActivePhaseKey);
        w.WriteString("createdAt", Clock.ToWire(wf.CreatedAt));
        w.WriteString("updatedAt", Clock.ToWire(wf.UpdatedAt));
        Time(w, "completedAt", wf.CompletedAt);
        Time(w, "failedAt", wf.FailedAt);
        Time(w, "canceledAt", wf.CanceledAt);
        w.WriteString("metadata", wf.Metadata);
        w.WriteEndObject();
    }

    public static void WorkflowPhase(Utf8JsonWriter w, string workflowId, WorkflowPhase p)
    {
        w.WriteStartObject();
        w.WriteString("workflowId", workflowId);
        w.WriteString("phaseKey", p.Key);
        w.WriteString("label", p.Label);
        w.WriteNumber("weight", p.Weight);
        w.WriteString("status", p.Status.ToWire());
        w.WriteNumber("progress", p.Progress);
        w.WriteNumber("order", p.Order);
        String(w, "parentPhaseKey", p.ParentPhaseKey);
        w.WriteNumber("depth", p.Depth);
        Time(w, "startedAt", p.StartedAt);
        Time(w, "updatedAt", p.UpdatedAt);
        Time(w, "completedAt", p.CompletedAt);
        w.WriteEndObject();
    }

    /// <summary>Every phase, ordered by <c>order</c>.</summary>
    public static void WorkflowPhases(Utf8JsonWriter w, string workflowId, IEnumerable<WorkflowPhase> phases)
    {
        w.WriteStartArray();
        foreach (var p in phases.OrderBy(p => p.Order))
        {
            WorkflowPhase(w, workflowId, p);
        }
        w.WriteEndArray();
    }

    public static void WorkflowHistory(Utf8JsonWriter w, WorkflowEvent e)
    {
        w.WriteStartObject();
        w.WriteNumber("id", e.Seq);
        w.WriteString("workflowId", e.WorkflowId);
        w.WriteString("eventType", e.Type);
        String(w, "phaseKey", e.PhaseKey);
        w.WriteString("message", e.Message);
        Number(w, "progress", e.Progress);
        w.WriteString("timestamp", Clock.ToWire(e.Timestamp));
        String(w, "metadata", e.Metadata);
        w.WriteEndObject();
    }

    public static void CounterMetadata(Utf8JsonWriter w, Counter c)
    {
        w.WriteStartObject();
        w.WriteNumber("id", 1);
        w.WriteString("name", c.Name);
        w.WriteNumber("value", c.Value);
        w.WriteString("createdAt", Clock.ToWire(c.CreatedAt));
        w.WriteString("updatedAt", Clock.ToWire(c.UpdatedAt));
        w.WriteNumber("operationCount", c.OperationCount);
        w.WriteEndObject();
    }

    /// <summary>
    /// A CounterHistory row. The reference writes no history row on create, so its ids start at the
    /// first operation: ours is seq 2 (seq 1 is the creation), hence <c>id = seq − 1</c>.
    /// </summary>
    public static void CounterHistory(Utf8JsonWriter w, CounterHistoryEntry e)
    {
        w.WriteStartObject();
        w.WriteNumber("id", e.Seq - 1);
        w.WriteString("operation", CounterOperationText(e));
        w.WriteNumber("previousValue", e.PreviousValue);
        w.WriteNumber("newValue", e.NewValue);
        w.WriteString("timestamp", Clock.ToWire(e.Timestamp));
        w.WriteEndObject();
    }

    /// <summary><c>increment(n)</c>, <c>decrement(n)</c> or <c>setValue(v)</c> (reset is <c>setValue(0)</c>), as the reference writes.</summary>
    public static string CounterOperationText(CounterHistoryEntry e) => e.Operation switch
    {
        CounterOperation.Increment => $"increment({(e.NewValue - e.PreviousValue).ToString(CultureInfo.InvariantCulture)})",
        CounterOperation.Decrement => $"decrement({(e.PreviousValue - e.NewValue).ToString(CultureInfo.InvariantCulture)})",
        _ => $"setValue({e.NewValue.ToString(CultureInfo.InvariantCulture)})",
    };

    public static void Time(Utf8JsonWriter w, string name, DateTimeOffset? t)
    {
        if (t is { } v)
        {
            w.WriteString(name, Clock.ToWire(v));
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static void String(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }

    private static void Number(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
