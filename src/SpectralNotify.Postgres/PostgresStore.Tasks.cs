using Npgsql;
using SpectralNotify.Jobs;
using SpectralNotify.Storage;
using SpectralNotify.Tasks;

namespace SpectralNotify.Postgres;

public sealed partial class PostgresStore
{
    public async Task<TaskChange> TaskCreateAsync(NewTask task, CancellationToken ct)
    {
        await using var tx = await BeginAsync(ct);
        var change = await CreateAsync(tx, task, _time.GetUtcNow(), ct);
        await tx.CommitAsync(ct);
        return change;
    }

    /// <summary>
    /// Mutations of one task go through the node's task write group (see
    /// <c>PostgresStore.TaskGroup.cs</c>): every mutation waiting when a transaction starts, of any
    /// task, shares it. Each keeps its own seq, event and notification, and a refused one (terminal
    /// task, stale version) fails alone.
    /// </summary>
    public Task<TaskChange> TaskMutateAsync(string id, TaskMutation mutation, CancellationToken ct) =>
        _taskGroup.RunAsync(LaneOf(TaskLanes, id), new TaskGroupOp(id, mutation), ApplyTaskGroupAsync);

    /// <summary>
    /// Applies mutations of ONE task in one transaction under its row lock: the group's fallback
    /// when a shared transaction failed for a reason that may be one operation's own.
    /// </summary>
    private async Task<IReadOnlyList<object>> ApplyTaskBatchAsync(string id, IReadOnlyList<TaskMutation> mutations)
    {
        await using var tx = await BeginAsync(CancellationToken.None);
        var rows = await tx.ReadAsync(ForUpdate("TaskGet"), ps => ps.With("id", id), PostgresRows.Rows.Task, CancellationToken.None);
        var plan = new TaskWritePlan();
        var results = await ApplyToLockedAsync(tx, id, rows.Count == 0 ? null : rows[0], mutations, plan);
        if (plan.Changes.Count > 0)
        {
            QueuePlan(tx, plan);
            await tx.CommitAsync(CancellationToken.None);
        }
        return results;
    }

    /// <summary>What a group of task mutations writes: each change (event, notification) and each task's final row.</summary>
    private sealed class TaskWritePlan
    {
        public List<TaskChange> Changes { get; } = [];
        public List<(TaskItem Task, long Expected)> Finals { get; } = [];
    }

    /// <summary>The plan in three statements (events, task rows, notifications), whatever its size.</summary>
    private void QueuePlan(PostgresWriteTransaction tx, TaskWritePlan plan)
    {
        PostgresTaskWrites.QueueEvents(tx, [.. plan.Changes.Select(c => c.Event)]);
        PostgresTaskWrites.QueueTaskUpdates(tx, plan.Finals);
        PostgresTaskWrites.QueueNotices(tx, _channel, [.. plan.Changes.Select(c => ChangeNotice.ForChange(_nodeId, c))]);
    }

    /// <summary>
    /// Applies <paramref name="mutations"/> in order to a task whose row this transaction has locked
    /// (<paramref name="locked"/>; null when it does not exist), adding its changes and final row to
    /// <paramref name="plan"/>; returns, per mutation, its change or the exception that refused it alone.
    /// </summary>
    private async Task<List<object>> ApplyToLockedAsync(PostgresWriteTransaction tx, string id, TaskItem? locked,
        IReadOnlyList<TaskMutation> mutations, TaskWritePlan plan)
    {
        if (locked is null)
        {
            return mutations.Select(_ => (object)new TaskNotFoundException(id)).ToList();
        }
        var current = locked;
        var now = _time.GetUtcNow();
        var results = new List<object>(mutations.Count);
        foreach (var mutation in mutations)
        {
            try
            {
                var change = await ApplyCheckedAsync(tx, id, current, mutation, now, CancellationToken.None);
                plan.Changes.Add(change);
                current = change.Task;
                results.Add(change);
            }
            catch (SpectralException ex)
            {
                results.Add(ex); // refused on its own: nothing of it is written
            }
        }
        if (!ReferenceEquals(current, locked))
        {
            // The lock makes the version check redundant; it stays as a guard, checked at the flush.
            plan.Finals.Add((current, locked.Version));
        }
        return results;
    }

    public async Task<IReadOnlyList<TaskChange>> TaskBatchAsync(IReadOnlyList<TaskWrite> writes, CancellationToken ct)
    {
        // One transaction: leaving without CommitAsync (any exception) rolls back every operation.
        await using var tx = await BeginAsync(ct);
        // Two batches touching the same ids in different orders would deadlock on row locks (or on
        // the unique index, for creates). Taking a transaction-scoped advisory lock per id, in
        // sorted order, first makes every overlapping batch queue in the same order.
        var ids = writes.Select(w => w.New?.Id ?? w.Id!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        // The existing rows are then locked in the same id order the task write group locks in
        // (PostgresStore.TaskGroup.cs), before any is written: a group and a batch cannot deadlock.
        tx.QueueQuery(BatchLockSql).Add(new NpgsqlParameter<string[]>("ids", ids));
        var locked = (await tx.ReadAsync(Sql["PgTaskLockMany"], p => p.Add(new NpgsqlParameter<string[]>("ids", ids)), PostgresRows.Rows.Task, ct))
            .ToDictionary(t => t.Id, StringComparer.Ordinal);
        // Every operation applies to the locked rows in memory; the batch then writes its events,
        // final task rows and notifications with one statement each, as the write group does (a
        // 250-operation batch was 250 round trips, each a locking read carrying the previous writes).
        var current = new Dictionary<string, TaskItem>(locked, StringComparer.Ordinal);
        var plan = new TaskWritePlan();
        var now = _time.GetUtcNow();
        for (var i = 0; i < writes.Count; i++)
        {
            try
            {
                var op = writes[i];
                var change = op.New is not null
                    ? await CreateInBatchAsync(tx, op.New, current, locked, now, ct)
                    : await MutateInBatchAsync(tx, op.Id!, op.Mutation!, current, locked, now, ct);
                current[change.Task.Id] = change.Task;
                plan.Changes.Add(change);
            }
            catch (SpectralException ex)
            {
                throw new BatchOperationException(i, ex);
            }
        }
        foreach (var (id, task) in current)
        {
            if (locked.TryGetValue(id, out var before) && !ReferenceEquals(task, before))
            {
                plan.Finals.Add((task, before.Version));
            }
        }
        QueuePlan(tx, plan);
        await tx.CommitAsync(ct);
        return plan.Changes;
    }

    /// <summary>
    /// A create inside a batch, inserted at once (ON CONFLICT DO NOTHING finds an id another writer
    /// took since the lock). It then counts as locked, at its first version, for the batch's later
    /// operations and its final row.
    /// </summary>
    private async Task<TaskChange> CreateInBatchAsync(PostgresWriteTransaction tx, NewTask input, Dictionary<string, TaskItem> current,
        Dictionary<string, TaskItem> locked, DateTimeOffset now, CancellationToken ct)
    {
        if (current.ContainsKey(input.Id))
        {
            throw new TaskAlreadyExistsException(input.Id);
        }
        var change = await InsertAsync(tx, input, now, ct);
        locked[input.Id] = change.Task;
        return change;
    }

    /// <summary>
    /// A mutation inside a batch, applied to the task as the batch left it. A task the up-front lock
    /// did not find may have been created since by a writer outside the batch's advisory locks (a
    /// single create, an enqueue): it is looked for once more, locked, as a mutation on its own would.
    /// </summary>
    private static async Task<TaskChange> MutateInBatchAsync(PostgresWriteTransaction tx, string id, TaskMutation mutation,
        Dictionary<string, TaskItem> current, Dictionary<string, TaskItem> locked, DateTimeOffset now, CancellationToken ct)
    {
        if (!current.TryGetValue(id, out var task))
        {
            locked[id] = current[id] = task = await LockAsync(tx, id, ct);
        }
        return await ApplyCheckedAsync(tx, id, task, mutation, now, ct);
    }

    /// <summary>Engine-specific locking with no SQLite counterpart (SQLite has one writer), so it is not a named query.</summary>
    private const string BatchLockSql =
        "SELECT pg_advisory_xact_lock(hashtextextended(id, 0)) FROM unnest(@ids::text[]) AS t(id) ORDER BY id COLLATE \"C\"";

    public async Task<IReadOnlyList<TaskItem>> TaskListByWorkflowAsync(string workflowId, int limit, CancellationToken ct)
    {
        await using var cmd = Command(Sql["TaskListByWorkflow"]);
        cmd.Parameters.With("workflow_id", workflowId).With("limit", limit);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var items = new List<TaskItem>();
        while (await r.ReadAsync(ct))
        {
            items.Add(PostgresRows.Rows.Task(r));
        }
        return items;
    }

    public async Task<TaskDeleted?> TaskDeleteAsync(string id, CancellationToken ct)
    {
        await using var tx = await BeginAsync(ct);
        // A run's row is always locked before its task's (see PostgresRunRows): a worker completing
        // this run at the same moment then waits for the delete instead of deadlocking with it.
        await tx.ReadAsync(Sql["PgRunGetMany"], ps => ps.With("task_ids", new[] { id }), _ => true, ct);
        if ((await tx.ReadAsync(ForUpdate("TaskGet"), ps => ps.With("id", id), _ => true, ct)).Count == 0)
        {
            return null;
        }
        var deleted = await DeleteAsync(tx, id, _time.GetUtcNow(), ct);
        await tx.CommitAsync(ct);
        return deleted;
    }

    public async Task<IReadOnlyList<TaskDeleted>> TaskDeleteExpiredAsync(DateTimeOffset now, int limit, CancellationToken ct)
    {
        await using var tx = await BeginAsync(ct);
        // TaskExpiredList locks what it returns, so each delete finds its row.
        var ids = await tx.ReadAsync(Sql["TaskExpiredList"], p => p.With("now", now).With("limit", limit), r => r.GetString(0), ct);
        var deleted = new List<TaskDeleted>(ids.Count);
        foreach (var id in ids)
        {
            deleted.Add(await DeleteAsync(tx, id, now, ct));
        }
        await tx.CommitAsync(ct);
        return deleted;
    }

    /// <summary>Runs waiting for the (locked) task are canceled first (they can never run), then the task goes with its events and run.</summary>
    private async Task<TaskDeleted> DeleteAsync(PostgresWriteTransaction tx, string id, DateTimeOffset now, CancellationToken ct)
    {
        var work = new Jobs.RunWork(new PostgresRunRows(tx, _channel, _nodeId), now);
        var canceled = await work.DependencyDeletedAsync(id, ct);
        work.Flush();
        tx.Queue(Sql["TaskDelete"], expectedRows: 1).With("id", id);
        QueueDeletion(tx, Lists.Deletion.Task, id, now);
        tx.Notify(_channel, ChangeNotice.ForDeletion(_nodeId, id));
        return new TaskDeleted(id, canceled);
    }

    public async Task<IReadOnlyList<TaskEvent>> TaskEventListAsync(string taskId, long afterSeq, int limit, CancellationToken ct)
    {
        await using var cmd = Command(Sql["TaskEventList"]);
        cmd.Parameters.With("task_id", taskId).With("after", afterSeq).With("limit", limit);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var events = new List<TaskEvent>();
        while (await r.ReadAsync(ct))
        {
            events.Add(PostgresRows.Rows.TaskEvent(r));
        }
        return events;
    }

    public async Task<TaskItem?> TaskGetAsync(string id, CancellationToken ct)
    {
        await using var cmd = Command(Sql["TaskGet"]);
        cmd.Parameters.With("id", id);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? PostgresRows.Rows.Task(r) : null;
    }

    public async Task<TaskPage> TaskListAsync(TaskListParams p, CancellationToken ct)
    {
        await using var cmd = Command(p.ByUpdated ? TaskListByUpdatedSql : TaskListSql);
        cmd.Parameters.With("statuses", ListSql.Statuses(p.Statuses)).With("type", p.Type)
            .With("q", ListSql.SearchContains(p.Query))
            .With("search_prefix", ListSql.SearchPrefix(p.Search)).With("search_contains", ListSql.SearchContains(p.Search))
            .WithJsonb("metadata", ListSql.Metadata(p.Metadata))
            .With("created_after", p.CreatedAfter).With("created_before", p.CreatedBefore)
            .With("cursor_at", p.Cursor?.CreatedAt).With("cursor_id", p.Cursor?.Id)
            .With("limit", p.Limit + 1);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var items = new List<TaskItem>();
        while (await r.ReadAsync(ct))
        {
            items.Add(PostgresRows.Rows.Task(r));
        }
        return new TaskPage(items, KeysetPage.Trim(items, p.Limit, x => TaskCursor.Of(x, p)));
    }

    private async Task<TaskChange> CreateAsync(PostgresWriteTransaction tx, NewTask input, DateTimeOffset now, CancellationToken ct)
    {
        var change = await InsertAsync(tx, input, now, ct);
        tx.Queue(Sql["TaskEventInsert"]).WithEvent(change.Event);
        tx.Notify(_channel, ChangeNotice.ForChange(_nodeId, change));
        return change;
    }

    /// <summary>The new task's row, written at once; its event and notification are the caller's to queue.</summary>
    private static async Task<TaskChange> InsertAsync(PostgresWriteTransaction tx, NewTask input, DateTimeOffset now, CancellationToken ct)
    {
        var (task, ev) = TaskLifecycle.Create(input, now);
        // ON CONFLICT DO NOTHING: a concurrent insert of the same id waits for the first to commit
        // and then inserts nothing, so exactly one creator wins and the other gets the 409.
        if (await tx.ExecuteAsync(Sql["TaskInsert"], ps => ps.WithTask(task), ct) == 0)
        {
            throw new TaskAlreadyExistsException(task.Id);
        }
        return new TaskChange(task, ev);
    }

    private async Task<TaskChange> MutateAsync(PostgresWriteTransaction tx, string id, TaskMutation mutation, DateTimeOffset now, CancellationToken ct)
    {
        var current = await LockAsync(tx, id, ct);
        var change = await ApplyCheckedAsync(tx, id, current, mutation, now, ct);
        // The lock makes the version check redundant; it stays as a guard, checked at the flush.
        tx.Queue(Sql["TaskUpdate"], expectedRows: 1).WithTask(change.Task).With("expected_version", current.Version);
        tx.Queue(Sql["TaskEventInsert"]).WithEvent(change.Event);
        tx.Notify(_channel, ChangeNotice.ForChange(_nodeId, change));
        return change;
    }

    /// <summary>The task's row, locked: the row lock serializes the writers of this task until commit (see the class remarks).</summary>
    private static async Task<TaskItem> LockAsync(PostgresWriteTransaction tx, string id, CancellationToken ct)
    {
        var rows = await tx.ReadAsync(ForUpdate("TaskGet"), ps => ps.With("id", id), PostgresRows.Rows.Task, ct);
        return rows.Count == 1 ? rows[0] : throw new TaskNotFoundException(id);
    }

    /// <summary>One mutation of a locked task; a status change of a job run's task is refused (<see cref="RunGuard"/>).</summary>
    private static async Task<TaskChange> ApplyCheckedAsync(PostgresWriteTransaction tx, string id, TaskItem task, TaskMutation mutation,
        DateTimeOffset now, CancellationToken ct)
    {
        var change = TaskLifecycle.Apply(task, mutation, now);
        if (RunGuard.NeedsCheck(task, change.Task))
        {
            RunGuard.Check(id, await IsRunAsync(tx, id, ct));
        }
        return change;
    }

    private static async Task<bool> IsRunAsync(PostgresWriteTransaction tx, string id, CancellationToken ct = default) =>
        (await tx.ReadAsync(Sql["RunGet"], ps => ps.With("task_id", id), _ => true, ct)).Count > 0;

    private static readonly string TaskListSql = ListSql.Compose(Sql, "TaskList");
    private static readonly string TaskListByUpdatedSql = ListSql.Compose(Sql, "TaskListByUpdated");
}
