using SpectralNotify.Access;
using System.Text.Json;
using SpectralNotify.Server.Wire;
using SpectralNotify.Storage;
using SpectralNotify.Tasks;

namespace SpectralNotify.Server.Api.Compat;

/// <summary>
/// The reference's <c>tasks/*</c> procedures (protocol §3.1, §7.1) over our task service. Mutations
/// follow <see cref="RuleSet.Reference"/>; an unknown task is a 404 instead of the reference's 500.
/// </summary>
public static class TaskProcedures
{
    /// <summary>getAll / listAll return at most this many tasks, newest first; /api/v1/tasks pages through any number.</summary>
    public const int MaxListed = 10_000;

    public static IEnumerable<Procedure> All =>
    [
        new("tasks/create", new(Resource.Tasks, Operation.Write, "id"), true, Create),
        new("tasks/addEvent", new(Resource.Tasks, Operation.Report, "taskId"), true, AddEvent),
        new("tasks/updateProgress", new(Resource.Tasks, Operation.Report, "taskId"), true, c => Mutate(c, f => f.Number("progress", 0, 100) is { } p ? new ProgressMutation(p, null) : null)),
        new("tasks/complete", new(Resource.Tasks, Operation.Write, "taskId"), true, c => Mutate(c, f => new CompleteMutation(NotifyMetadata.Read(f, required: false)))),
        new("tasks/fail", new(Resource.Tasks, Operation.Write, "taskId"), true, c => Mutate(c, f =>
        {
            var error = f.String("error", max: CompatFields.MaxMessageLength);
            var metadata = NotifyMetadata.Read(f, required: false);
            return error is null ? null : new FailMutation(error, metadata);
        })),
        new("tasks/cancel", new(Resource.Tasks, Operation.Write, "taskId"), true, c => Mutate(c, f => new CancelMutation(null, NotifyMetadata.Read(f, required: false)))),
        new("tasks/getById", new(Resource.Tasks, Operation.Read, "taskId"), false, GetById),
        new("tasks/getHistory", new(Resource.Tasks, Operation.Read, "taskId"), false, GetHistory),
        new("tasks/getAll", new(Resource.Tasks, Operation.List), false, GetAll),
        new("tasks/listAll", new(Resource.Tasks, Operation.List), false, ListAll),
        new("tasks/delete", new(Resource.Tasks, Operation.Delete, "taskId"), false, Delete),
        new("tasks/deleteAll", new(Resource.Tasks, Operation.Delete), false, DeleteAll),
    ];

    private static async Task<Output> Create(ProcedureCall c)
    {
        var f = c.Input.Object();
        var id = CompatFields.Id(f, "id");
        var status = CompatFields.Status(f);
        var progress = f.Number("progress", 0, 100, optional: true);
        var metadata = NotifyMetadata.Read(f, required: true, systemAuthor: true);
        c.Input.ThrowIfInvalid();
        try
        {
            await c.Tasks.CreateAsync(new NewTask
            {
                Id = id!, Status = status!.Value, Progress = progress ?? 0, Metadata = metadata!, CreatedBy = c.Caller,
            }, c.Ct);
        }
        catch (TaskAlreadyExistsException)
        {
            // The reference answers a second create of an id with success and changes nothing.
        }
        return Output.Success("taskId", id!);
    }

    private static Task<Output> AddEvent(ProcedureCall c) => Mutate(c, f =>
    {
        var e = f.Object("event", optional: false);
        var type = e?.Enum("type", CompatFields.EventTypes);
        var message = e?.String("message", max: CompatFields.MaxMessageLength);
        var progress = e?.Number("progress", 0, 100, optional: true);
        var metadata = e is null ? null : NotifyMetadata.Read(e, required: false);
        return type is null || message is null ? null : new AddEventMutation(type, message, progress, metadata);
    });

    /// <summary>Reads <c>taskId</c> and the mutation's own fields, applies it, and answers EnrichedTaskResponse.</summary>
    private static async Task<Output> Mutate(ProcedureCall c, Func<Fields, TaskMutation?> read)
    {
        var f = c.Input.Object();
        var id = CompatFields.Id(f, "taskId");
        var mutation = read(f);
        c.Input.ThrowIfInvalid();
        var change = await c.Tasks.MutateAsync(id!, mutation! with { Rules = RuleSet.Reference }, c.Ct);
        var history = await LatestAsync(c.Store, id!, change.Event.Seq, 10, c.Ct);
        return Output.Enriched("task", w => ReferenceRows.TaskMetadata(w, change.Task), history, ReferenceRows.TaskHistory);
    }

    private static async Task<Output> GetById(ProcedureCall c)
    {
        var id = CompatFields.Id(c.Input.Object(), "taskId", "Task");
        c.Input.ThrowIfInvalid();
        var task = await c.Store.TaskGetAsync(id!, c.Ct) ?? throw new TaskNotFoundException(id!);
        return Output.Write(w => ReferenceRows.TaskMetadata(w, task));
    }

    private static async Task<Output> GetHistory(ProcedureCall c)
    {
        var f = c.Input.Object();
        var id = CompatFields.Id(f, "taskId");
        var limit = CompatFields.Limit(f);
        c.Input.ThrowIfInvalid();
        var task = await c.Store.TaskGetAsync(id!, c.Ct);
        var history = task is null ? [] : await LatestAsync(c.Store, id!, task.LastSeq, limit, c.Ct);
        return Output.Array(history, ReferenceRows.TaskHistory);
    }

    /// <summary>TaskListItem (protocol §3.1): absent timestamps omitted, <c>lastEvent.id</c> a string; RPC marks the Dates in <c>meta</c>.</summary>
    private static async Task<Output> GetAll(ProcedureCall c)
    {
        var tasks = await ListAsync(c.Store, c.Ct);
        var last = new List<TaskEvent?>(tasks.Count);
        foreach (var t in tasks)
        {
            last.Add((await c.Store.TaskEventListAsync(t.Id, t.LastSeq - 1, 1, c.Ct)).FirstOrDefault());
        }
        var meta = new List<IReadOnlyList<object>>();
        var output = Output.Write(w =>
        {
            w.WriteStartArray();
            for (var i = 0; i < tasks.Count; i++)
            {
                var t = tasks[i];
                w.WriteStartObject();
                w.WriteString("id", t.Id);
                w.WriteString("status", t.Status.ToWire());
                w.WriteNumber("progress", t.Progress);
                ListTimes(w, meta, i, t.CreatedAt, t.UpdatedAt, t.CompletedAt, t.FailedAt, t.CanceledAt);
                w.WriteStartObject("lastEvent");
                var e = last[i];
                w.WriteString("id", (e?.Seq ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture));
                w.WriteString("timestamp", Clock.ToWire(e?.Timestamp ?? t.CreatedAt));
                w.WriteString("type", e?.Type ?? TaskEventType.Log);
                w.WriteString("message", e?.Message ?? "Task created");
                if (e?.Progress is { } p)
                {
                    w.WriteNumber("progress", p);
                }
                w.WriteEndObject();
                meta.Add([1, i, "lastEvent", "timestamp"]);
                w.WriteStartArray("events");
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
        return output with { Meta = meta };
    }

    /// <summary>createdAt, updatedAt, and the terminal timestamps that are set, each recorded as a Date path for RPC.</summary>
    internal static void ListTimes(Utf8JsonWriter w, List<IReadOnlyList<object>> meta, int i,
        DateTimeOffset created, DateTimeOffset updated, DateTimeOffset? completed, DateTimeOffset? failed, DateTimeOffset? canceled)
    {
        foreach (var (name, value) in new (string, DateTimeOffset?)[]
                 { ("createdAt", created), ("updatedAt", updated), ("completedAt", completed), ("failedAt", failed), ("canceledAt", canceled) })
        {
            if (value is { } v)
            {
                w.WriteString(name, Clock.ToWire(v));
                meta.Add([1, i, name]);
            }
        }
    }

    private static async Task<Output> ListAll(ProcedureCall c) =>
        Output.Registry("tasks", "taskId", [.. (await ListAsync(c.Store, c.Ct)).Select(t => (t.Id, t.CreatedAt, t.CreatedBy))]);

    private static async Task<Output> Delete(ProcedureCall c)
    {
        var id = CompatFields.Id(c.Input.Object(), "taskId", "Task");
        c.Input.ThrowIfInvalid();
        await c.Tasks.DeleteAsync(id!, c.Ct);
        return Output.Success("taskId", id!);
    }

    private static Task<Output> DeleteAll(ProcedureCall c) => Output.DeleteAll(
        async () => [.. (await c.Store.TaskListAsync(new TaskListParams { Limit = 500 }, c.Ct)).Items.Select(t => t.Id)],
        id => c.Tasks.DeleteAsync(id, c.Ct));

    /// <summary>The newest <paramref name="count"/> events up to <paramref name="throughSeq"/>, newest first (seqs are dense per task).</summary>
    internal static async Task<IReadOnlyList<TaskEvent>> LatestAsync(IStore store, string id, long throughSeq, int count, CancellationToken ct)
    {
        var events = await store.TaskEventListAsync(id, Math.Max(0, throughSeq - count), count, ct);
        return [.. events.Where(e => e.Seq <= throughSeq).Reverse()];
    }

    private static async Task<List<TaskItem>> ListAsync(IStore store, CancellationToken ct)
    {
        var all = new List<TaskItem>();
        TaskCursor? cursor = null;
        do
        {
            var page = await store.TaskListAsync(new TaskListParams { Limit = 500, Cursor = cursor }, ct);
            all.AddRange(page.Items);
            cursor = page.Next;
        }
        while (cursor is not null && all.Count < MaxListed);
        return all.Count > MaxListed ? all[..MaxListed] : all;
    }
}
