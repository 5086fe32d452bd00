using SpectralNotify.Lists;
using SpectralNotify.Storage;
using SpectralNotify.Tasks;
using SpectralNotify.Workflows;

namespace SpectralNotify.Postgres;

public sealed partial class PostgresStore
{
    private static readonly string TaskListLiveSql = ListSql.Compose(Sql, "TaskListLive");
    private static readonly string WorkflowListLiveSql = ListSql.Compose(Sql, "WorkflowListLive");

    public Task<IReadOnlyList<TaskItem>> TaskListLiveAsync(ListFilter f, int limit, CancellationToken ct) =>
        !f.AppliesTo(ListKind.Tasks) ? Task.FromResult<IReadOnlyList<TaskItem>>([]) :
        ReadAllAsync(TaskListLiveSql, ps => ps.With("statuses", ListSql.Statuses(f)).With("type", f.Type)
            .With("workflow_id", f.WorkflowId).With("created_after", f.CreatedAfter).With("created_before", f.CreatedBefore)
            .With("search_prefix", ListSql.SearchPrefix(f.Search)).With("search_contains", ListSql.SearchContains(f.Search))
            .WithJsonb("metadata", ListSql.Metadata(f)).With("limit", limit), PostgresRows.Rows.Task, ct);

    public Task<IReadOnlyList<TaskItem>> TaskChangedSinceAsync(DateTimeOffset since, int limit, CancellationToken ct) =>
        ReadAllAsync(Sql["TaskChangedSince"], ps => ps.With("since", since).With("limit", limit), PostgresRows.Rows.Task, ct);

    public Task<IReadOnlyList<RunRow>> RunListLiveAsync(ListFilter f, int limit, CancellationToken ct) =>
        !f.AppliesTo(ListKind.Runs) ? Task.FromResult<IReadOnlyList<RunRow>>([]) :
        ReadAllAsync(Sql["RunListLive"], ps => ps.With("statuses", ListSql.Statuses(f)).With("states", f.State)
            .With("type", f.Type).With("queue", f.Queue).With("job_id", f.JobId)
            .With("created_after", f.CreatedAfter).With("created_before", f.CreatedBefore).With("limit", limit),
            PostgresRows.Rows.RunRow, ct);

    public Task<IReadOnlyList<RunRow>> RunChangedSinceAsync(DateTimeOffset since, int limit, CancellationToken ct) =>
        ReadAllAsync(Sql["RunChangedSince"], ps => ps.With("since", since).With("limit", limit), PostgresRows.Rows.RunRow, ct);

    public Task<IReadOnlyList<Workflow>> WorkflowListLiveAsync(ListFilter f, int limit, CancellationToken ct) =>
        !f.AppliesTo(ListKind.Workflows) ? Task.FromResult<IReadOnlyList<Workflow>>([]) :
        ReadAllAsync(WorkflowListLiveSql, ps => ps.With("statuses", ListSql.Statuses(f))
            .With("created_after", f.CreatedAfter).With("created_before", f.CreatedBefore)
            .WithJsonb("metadata", ListSql.Metadata(f)).With("limit", limit), PostgresRows.Rows.Workflow, ct);

    public Task<IReadOnlyList<Workflow>> WorkflowChangedSinceAsync(DateTimeOffset since, int limit, CancellationToken ct) =>
        ReadAllAsync(Sql["WorkflowChangedSince"], ps => ps.With("since", since).With("limit", limit), PostgresRows.Rows.Workflow, ct);

    public Task<IReadOnlyList<Deletion>> DeletionsSinceAsync(string kind, DateTimeOffset since, int limit, CancellationToken ct) =>
        ReadAllAsync(Sql["DeletionsSince"], ps => ps.With("kind", kind).With("since", since).With("limit", limit), PostgresRows.Rows.Deletion, ct);

    public async Task<int> DeletionsPruneAsync(DateTimeOffset before, int limit, CancellationToken ct)
    {
        await using var cmd = Command(Sql["DeletionsPrune"]);
        cmd.Parameters.With("before", before).With("limit", limit);
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Queues a tombstone in the delete's transaction, so a delete never commits without one.</summary>
    private static void QueueDeletion(PostgresWriteTransaction tx, string kind, string id, DateTimeOffset now) =>
        tx.Queue(Sql["DeletionInsert"], expectedRows: 1).With("kind", kind).With("id", id).With("deleted_at", now);
}
