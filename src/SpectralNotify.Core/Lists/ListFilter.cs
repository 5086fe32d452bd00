using SpectralNotify.Jobs;
using SpectralNotify.Tasks;
using SpectralNotify.Workflows;

namespace SpectralNotify.Lists;

/// <summary>
/// The filter of a live list (protocol v2, docs/realtime.md "Live filtered lists"): every field that is
/// set must match (AND); a list field matches any of its values. Build one with <see cref="TryParse"/>
/// (from the client's JSON) or <see cref="ForJob"/>. The same filter runs in SQL for snapshots
/// (<see cref="Storage.IListStore"/>) and in memory for live changes (<see cref="Matches(ListRow)"/>);
/// the conformance suite checks on both engines that the two agree.
/// </summary>
public sealed partial record ListFilter
{
    /// <summary>The filter with no condition: every row of the kind.</summary>
    public static ListFilter All { get; } = new();

    /// <summary>Task (or workflow) statuses; a run's status is its task's. All lists.</summary>
    public IReadOnlyList<TaskState>? Status { get; init; }

    /// <summary>Run states (<see cref="JobRun.Pending"/>, reserved, running, done). Runs only.</summary>
    public IReadOnlyList<string>? State { get; init; }

    /// <summary>Exact type. Tasks and runs.</summary>
    public string? Type { get; init; }

    /// <summary>Exact queue. Runs only.</summary>
    public string? Queue { get; init; }

    /// <summary>The runs of one job. Runs only.</summary>
    public string? JobId { get; init; }

    /// <summary>The tasks of one workflow. Tasks only.</summary>
    public string? WorkflowId { get; init; }

    /// <summary>Top-level metadata pairs that must all be equal. Tasks and workflows.</summary>
    public IReadOnlyList<MetadataCondition>? Metadata { get; init; }

    /// <summary>
    /// Text search, tasks only: the id starts with it or the title contains it, ignoring the case of
    /// A–Z only (SQLite's LIKE and PostgreSQL's ILIKE under the "C" collation fold exactly those, so
    /// SQL and memory agree; é and É stay different).
    /// </summary>
    public string? Search { get; init; }

    /// <summary>Exclusive lower bound of <c>createdAt</c>, floored to the millisecond (timestamps are stored at milliseconds, so the result is the same). All lists.</summary>
    public DateTimeOffset? CreatedAfter { get; init; }

    /// <summary>Exclusive upper bound of <c>createdAt</c>, raised to the next whole millisecond (see <see cref="CreatedAfter"/>). All lists.</summary>
    public DateTimeOffset? CreatedBefore { get; init; }

    /// <summary>The list of one job's runs (the <c>job:&lt;id&gt;</c> topic).</summary>
    public static ListFilter ForJob(string jobId) => new() { JobId = jobId };

    /// <summary>
    /// Whether every field set applies to <paramref name="kind"/>. <see cref="TryParse"/> never returns
    /// a filter that does not; one built in code that does not matches no row, in memory and in the stores.
    /// </summary>
    public bool AppliesTo(ListKind kind) => kind switch
    {
        ListKind.Tasks => State is null && Queue is null && JobId is null,
        ListKind.Runs => WorkflowId is null && Metadata is null && Search is null,
        ListKind.Workflows => State is null && Type is null && Queue is null && JobId is null && WorkflowId is null && Search is null,
        _ => false,
    };

    /// <summary>Tests a task (of the <c>tasks</c> list). To test one row against many filters, wrap it once in a <see cref="ListRow"/>.</summary>
    public bool Matches(TaskItem task) => Matches(ListRow.ForTask(task));

    /// <summary>Tests a run with its task (of the <c>runs</c> list): status from the task; type, queue, job and createdAt from the run.</summary>
    public bool Matches(JobRun run, TaskItem task) => Matches(ListRow.ForRun(run, task));

    /// <summary>Tests a workflow (of the <c>workflows</c> list).</summary>
    public bool Matches(Workflow workflow) => Matches(ListRow.ForWorkflow(workflow));

    /// <summary>Tests a row of any kind: the single in-memory rule of live lists.</summary>
    public bool Matches(ListRow row)
    {
        if (!AppliesTo(row.Kind))
        {
            return false;
        }
        var (status, type, createdAt) = row.Kind switch
        {
            ListKind.Tasks => (row.Task!.Status, row.Task.Type, row.Task.CreatedAt),
            ListKind.Runs => (row.Task!.Status, row.Run!.Type, row.Run.CreatedAt),
            _ => (row.Workflow!.Status, null, row.Workflow.CreatedAt),
        };
        return (Status is null || Status.Contains(status))
            && (Type is null || string.Equals(Type, type, StringComparison.Ordinal))
            && (CreatedAfter is not { } after || createdAt > after)
            && (CreatedBefore is not { } before || createdAt < before)
            && (row.Run is null || MatchesRun(row.Run))
            && (WorkflowId is null || string.Equals(WorkflowId, row.Task?.WorkflowId, StringComparison.Ordinal))
            && (Metadata is null || MatchesMetadata(row))
            && (Search is null || MatchesSearch(Search, row.Task!.Id, row.Task.Title));
    }

    /// <summary>The <see cref="Search"/> rule, also used for REST task pages.</summary>
    public static bool MatchesSearch(string search, string id, string? title)
    {
        var s = AsciiLower(search);
        return AsciiLower(id).StartsWith(s, StringComparison.Ordinal)
            || (title is not null && AsciiLower(title).Contains(s, StringComparison.Ordinal));
    }

    private static string AsciiLower(string s) =>
        string.Create(s.Length, s, static (span, src) =>
        {
            for (var i = 0; i < src.Length; i++)
            {
                var c = src[i];
                span[i] = c is >= 'A' and <= 'Z' ? (char)(c + 32) : c;
            }
        });

    private bool MatchesRun(JobRun run) =>
        (State is null || State.Contains(run.State, StringComparer.Ordinal))
        && (Queue is null || string.Equals(Queue, run.Queue, StringComparison.Ordinal))
        && (JobId is null || string.Equals(JobId, run.JobId, StringComparison.Ordinal));

    private bool MatchesMetadata(ListRow row)
    {
        var values = row.Metadata;
        foreach (var condition in Metadata!)
        {
            if (!values.TryGetValue(condition.Key, out var value) || !condition.Matches(value))
            {
                return false;
            }
        }
        return true;
    }
}
