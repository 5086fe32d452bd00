using System.Text.Json;
using SpectralNotify.Jobs;
using SpectralNotify.Tasks;
using SpectralNotify.Workflows;

namespace SpectralNotify.Lists;

/// <summary>
/// One changed row as live lists test it: a task, a run with its task, or a workflow. Wrap a change
/// once and test it against every list subscription of its kind: the metadata JSON is parsed at most
/// once per row (on the first filter that asks about metadata), not once per filter.
/// </summary>
/// <remarks>Safe to share between threads: the parsed metadata is immutable, and two threads racing to parse it only waste work.</remarks>
public sealed class ListRow
{
    private IReadOnlyDictionary<string, JsonElement>? _metadata;

    private ListRow(ListKind kind, string id, DateTimeOffset updatedAt, TaskItem? task, JobRun? run, Workflow? workflow)
    {
        Kind = kind;
        Id = id;
        UpdatedAt = updatedAt;
        Task = task;
        Run = run;
        Workflow = workflow;
    }

    public static ListRow ForTask(TaskItem task) => new(ListKind.Tasks, task.Id, task.UpdatedAt, task, null, null);

    /// <summary>A run orders by its task's <c>updatedAt</c>: every change to a run is a change to its task.</summary>
    public static ListRow ForRun(JobRun run, TaskItem task) => new(ListKind.Runs, run.TaskId, task.UpdatedAt, task, run, null);

    public static ListRow ForWorkflow(Workflow workflow) => new(ListKind.Workflows, workflow.Id, workflow.UpdatedAt, null, null, workflow);

    public ListKind Kind { get; }

    /// <summary>The row's id: the task's, the run's (its task's), or the workflow's.</summary>
    public string Id { get; }

    /// <summary>Where the row sorts: lists are newest <c>updatedAt</c> first, then id descending (<see cref="NewestFirst"/>).</summary>
    public DateTimeOffset UpdatedAt { get; }

    /// <summary>The task (also for a run); null for a workflow.</summary>
    public TaskItem? Task { get; }

    public JobRun? Run { get; }

    public Workflow? Workflow { get; }

    /// <summary>The order of every list and of the stores' list queries: <c>updatedAt</c> descending, then id descending (ordinal).</summary>
    public static IComparer<ListRow> NewestFirst { get; } = Comparer<ListRow>.Create(static (a, b) =>
    {
        var byTime = b.UpdatedAt.CompareTo(a.UpdatedAt);
        return byTime != 0 ? byTime : string.CompareOrdinal(b.Id, a.Id);
    });

    /// <summary>
    /// The top-level metadata values by key. For a key written twice the last value counts, as in
    /// <see cref="JsonElement.TryGetProperty(string, out JsonElement)"/> and both engines' SQL.
    /// </summary>
    internal IReadOnlyDictionary<string, JsonElement> Metadata => _metadata ??= Parse(Workflow?.Metadata ?? Task?.Metadata);

    private static Dictionary<string, JsonElement> Parse(string? json)
    {
        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (json is null)
        {
            return values;
        }
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in doc.RootElement.EnumerateObject())
                {
                    values[p.Name] = p.Value.Clone();
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Stored metadata is always a checked JSON object; a row that is not one simply has no metadata.
        }
        return values;
    }
}
