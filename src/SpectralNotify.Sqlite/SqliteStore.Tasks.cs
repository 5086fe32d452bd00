using Microsoft.Data.Sqlite;
using SpectralNotify.Jobs;
using SpectralNotify.Storage;
using SpectralNotify.Tasks;

namespace SpectralNotify.Sqlite;

public sealed partial class SqliteStore
{
    public Task<TaskChange> TaskCreateAsync(NewTask task, CancellationToken ct) =>
        _writer.RunAsync(w => Create(w, task, _time.GetUtcNow()), ct);

    public Task<TaskChange> TaskMutateAsync(string id, TaskMutation mutation, CancellationToken ct) =>
        _writer.RunAsync(w => Mutate(w, id, mutation, _time.GetUtcNow()), ct);

    public Task<IReadOnlyList<TaskChange>> TaskBatchAsync(IReadOnlyList<TaskWrite> writes, CancellationToken ct) =>
        _writer.RunAsync<IReadOnlyList<TaskChange>>(w =>
        {
            // The writer wraps this item in a savepoint: an exception rolls back every operation of the batch.
            var now = _time.GetUtcNow();
            var changes = new List<TaskChange>(writes.Count);
            for (var i = 0; i < writes.Count; i++)
            {
                try
                {
                    var op = writes[i];
                    changes.Add(op.New is not null ? Create(w, op.New, now) : Mutate(w, op.Id!, op.Mutation!, now));
                }
                catch (SpectralException ex)
                {
                    throw new BatchOperationException(i, ex);
                }
            }
            return changes;
        }, ct);

    public Task<TaskDeleted?> TaskDeleteAsync(string id, CancellationToken ct) =>
        _writer.RunAsync(w => Delete(w, id, _time.GetUtcNow()), ct);

    public Task<IReadOnlyList<TaskDeleted>> TaskDeleteExpiredAsync(DateTimeOffset now, int limit, CancellationToken ct) =>
        _writer.RunAsync<IReadOnlyList<TaskDeleted>>(w =>
        {
            var ids = new List<string>();
            using (var r = w.Command(Sql["TaskExpiredList"]).With("@now", Clock.Truncate(now)).With("@limit", limit).ExecuteReader())
            {
                while (r.Read())
                {
                    ids.Add(r.GetString(0));
                }
            }
            return [.. ids.Select(id => Delete(w, id, now)).OfType<TaskDeleted>()];
        }, ct);

    /// <summary>Runs waiting for the task are canceled first (they can never run), then the task goes with its events and run.</summary>
    private static TaskDeleted? Delete(WriteContext w, string id, DateTimeOffset now)
    {
        if (w.Command(Sql["TaskGet"]).With("@id", id).ExecuteScalar() is null)
        {
            return null;
        }
        var canceled = SqliteRunRows.Run(w, now, work => work.DependencyDeletedAsync(id, CancellationToken.None));
        w.Command(Sql["TaskDelete"]).With("@id", id).ExecuteNonQuery();
        WriteDeletion(w, Lists.Deletion.Task, id, now);
        return new TaskDeleted(id, canceled);
    }

    public async Task<IReadOnlyList<TaskEvent>> TaskEventListAsync(string taskId, long afterSeq, int limit, CancellationToken ct)
    {
        await using var c = await OpenReadAsync(ct);
        using var cmd = c.CreateCommand();
        cmd.CommandText = Sql["TaskEventList"];
        cmd.With("@task_id", taskId).With("@after", afterSeq).With("@limit", limit);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var events = new List<TaskEvent>();
        while (await r.ReadAsync(ct))
        {
            events.Add(SqliteRows.Rows.TaskEvent(r));
        }
        return events;
    }

    public async Task<TaskItem?> TaskGetAsync(string id, CancellationToken ct)
    {
        await using var c = await OpenReadAsync(ct);
        using var cmd = c.CreateCommand();
        cmd.CommandText = Sql["TaskGet"];
        cmd.With("@id", id);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? SqliteRows.Rows.Task(r) : null;
    }

    public async Task<IReadOnlyList<TaskItem>> TaskListByWorkflowAsync(string workflowId, int limit, CancellationToken ct)
    {
        await using var c = await OpenReadAsync(ct);
        using var cmd = Cmd(c, Sql["TaskListByWorkflow"]).With("@workflow_id", workflowId).With("@limit", limit);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var items = new List<TaskItem>();
        while (await r.ReadAsync(ct))
        {
            items.Add(SqliteRows.Rows.Task(r));
        }
        return items;
    }

    public async Task<TaskPage> TaskListAsync(TaskListParams p, CancellationToken ct)
    {
        await using var c = await OpenReadAsync(ct);
        using var cmd = c.CreateCommand();
        cmd.CommandText = (p.ByUpdated ? TaskListByUpdatedSql : TaskListSql);
        cmd.With("@statuses", ListSql.JsonArray(ListSql.Statuses(p.Statuses))).With("@type", p.Type)
            .With("@q", ListSql.SearchContains(p.Query))
            .With("@search_prefix", ListSql.SearchPrefix(p.Search)).With("@search_contains", ListSql.SearchContains(p.Search))
            .With("@metadata", ListSql.Metadata(p.Metadata))
            .With("@created_after", p.CreatedAfter).With("@created_before", p.CreatedBefore)
            .With("@cursor_at", p.Cursor?.CreatedAt).With("@cursor_id", p.Cursor?.Id)
            .With("@limit", p.Limit + 1);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var items = new List<TaskItem>();
        while (await r.ReadAsync(ct))
        {
            items.Add(SqliteRows.Rows.Task(r));
        }
        return new TaskPage(items, KeysetPage.Trim(items, p.Limit, x => TaskCursor.Of(x, p)));
    }

    private static TaskChange Create(WriteContext w, NewTask input, DateTimeOffset now)
    {
        var (task, ev) = TaskLifecycle.Create(input, now);
        if (w.Command(Sql["TaskInsert"]).WithTask(task).ExecuteNonQuery() == 0)
        {
            throw new TaskAlreadyExistsException(task.Id);
        }
        w.Command(Sql["TaskEventInsert"]).WithEvent(ev).ExecuteNonQuery();
        return new TaskChange(task, ev);
    }

    private static TaskChange Mutate(WriteContext w, string id, TaskMutation mutation, DateTimeOffset now)
    {
        TaskItem current;
        using (var r = w.Command(Sql["TaskGet"]).With("@id", id).ExecuteReader())
        {
            current = r.Read() ? SqliteRows.Rows.Task(r) : throw new TaskNotFoundException(id);
        }
        var change = TaskLifecycle.Apply(current, mutation, now);
        if (RunGuard.NeedsCheck(current, change.Task))
        {
            RunGuard.Check(id, w.Command(Sql["RunGet"]).With("@task_id", id).ExecuteScalar() is not null);
        }
        // The single writer makes the read above and this update atomic; the version check is a guard.
        var update = change.Task.Status == current.Status ? Sql["SqliteTaskUpdateKeepingStatus"] : Sql["TaskUpdate"];
        if (w.Command(update).WithTask(change.Task).With("@expected_version", current.Version).ExecuteNonQuery() != 1)
        {
            throw new InvalidOperationException($"Task '{id}' changed under the single writer.");
        }
        w.Command(Sql["TaskEventInsert"]).WithEvent(change.Event).ExecuteNonQuery();
        return change;
    }

    private static readonly string TaskListSql = ListSql.Compose(Sql, "TaskList");
    private static readonly string TaskListByUpdatedSql = ListSql.Compose(Sql, "TaskListByUpdated");

    private static SqliteCommand Cmd(SqliteConnection c, string sql)
    {
        var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return cmd;
    }
}
