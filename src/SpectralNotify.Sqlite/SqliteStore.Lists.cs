using SpectralNotify.Lists;
using SpectralNotify.Storage;
using SpectralNotify.Tasks;
using SpectralNotify.Workflows;

namespace SpectralNotify.Sqlite;

public sealed partial class SqliteStore
{
    private static readonly string TaskListLiveSql = ListSql.Compose(Sql, "TaskListLive");
    private static readonly string WorkflowListLiveSql = ListSql.Compose(Sql, "WorkflowListLive");

    public Task<IReadOnlyList<TaskItem>> TaskListLiveAsync(ListFilter f, int limit, CancellationToken ct) =>
        !f.AppliesTo(ListKind.Tasks) ? Task.FromResult<IReadOnlyList<TaskItem>>([]) :
        ReadAllAsync(TaskListLiveSql, cmd => cmd.With("@statuses", ListSql.JsonArray(ListSql.Statuses(f))).With("@type", f.Type)
            .With("@workflow_id", f.WorkflowId).With("@created_after", f.CreatedAfter).With("@created_before", f.CreatedBefore)
            .With("@search_prefix", ListSql.SearchPrefix(f.Search)).With("@search_contains", ListSql.SearchContains(f.Search))
            .With("@metadata", ListSql.Metadata(f)).With("@limit", limit), SqliteRows.Rows.Task, ct);

    public Task<IReadOnlyList<TaskItem>> TaskChangedSinceAsync(DateTimeOffset since, int limit, CancellationToken ct) =>
        ReadAllAsync(Sql["TaskChangedSince"], cmd => cmd.With("@since", since).With("@limit", limit), SqliteRows.Rows.Task, ct);

    public Task<IReadOnlyList<RunRow>> RunListLiveAsync(ListFilter f, int limit, CancellationToken ct) =>
        !f.AppliesTo(ListKind.Runs) ? Task.FromResult<IReadOnlyList<RunRow>>([]) :
        ReadAllAsync(Sql["RunListLive"], cmd => cmd.With("@statuses", ListSql.JsonArray(ListSql.Statuses(f)))
            .With("@states", ListSql.JsonArray(f.State)).With("@type", f.Type).With("@queue", f.Queue).With("@job_id", f.JobId)
            .With("@created_after", f.CreatedAfter).With("@created_before", f.CreatedBefore).With("@limit", limit),
            SqliteRows.Rows.RunRow, ct);

    public Task<IReadOnlyList<RunRow>> RunChangedSinceAsync(DateTimeOffset since, int limit, CancellationToken ct) =>
        ReadAllAsync(Sql["RunChangedSince"], cmd => cmd.With("@since", since).With("@limit", limit), SqliteRows.Rows.RunRow, ct);

    public Task<IReadOnlyList<Workflow>> WorkflowListLiveAsync(ListFilter f, int limit, CancellationToken ct) =>
        !f.AppliesTo(ListKind.Workflows) ? Task.FromResult<IReadOnlyList<Workflow>>([]) :
        ReadAllAsync(WorkflowListLiveSql, cmd => cmd.With("@statuses", ListSql.JsonArray(ListSql.Statuses(f)))
            .With("@created_after", f.CreatedAfter).With("@created_before", f.CreatedBefore)
            .With("@metadata", ListSql.Metadata(f)).With("@limit", limit), SqliteRows.Rows.Workflow, ct);

    public Task<IReadOnlyList<Workflow>> WorkflowChangedSinceAsync(DateTimeOffset since, int limit, CancellationToken ct) =>
        ReadAllAsync(Sql["WorkflowChangedSince"], cmd => cmd.With("@since", since).With("@limit", limit), SqliteRows.Rows.Workflow, ct);

    public Task<IReadOnlyList<Deletion>> DeletionsSinceAsync(string kind, DateTimeOffset since, int limit, CancellationToken ct) =>
        ReadAllAsync(Sql["DeletionsSince"], cmd => cmd.With("@kind", kind).With("@since", since).With("@limit", limit), SqliteRows.Rows.Deletion, ct);

    public Task<int> DeletionsPruneAsync(DateTimeOffset before, int limit, CancellationToken ct) =>
        _writer.RunAsync(w => w.Command(Sql["DeletionsPrune"]).With("@before", before).With("@limit", limit).ExecuteNonQuery(), ct);

    /// <summary>Writes a tombstone inside the delete's own write (the writer's transaction), so a delete never commits without one.</summary>
    private static void WriteDeletion(WriteContext w, string kind, string id, DateTimeOffset now) =>
        w.Command(Sql["DeletionInsert"]).With("@kind", kind).With("@id", id).With("@deleted_at", now).ExecuteNonQuery();
}
