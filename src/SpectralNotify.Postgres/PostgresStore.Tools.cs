using Npgsql;
using SpectralNotify.Tasks;
using SpectralNotify.Tools;

namespace SpectralNotify.Postgres;

public sealed partial class PostgresStore
{
    public async Task<(ToolExecution Execution, TaskChange Change)> ToolStartAsync(ToolExecution execution, CancellationToken ct)
    {
        await using var tx = await BeginAsync(ct);
        var now = _time.GetUtcNow();
        var started = execution with { Status = ToolStatus.Running, StartedAt = Clock.Truncate(now) };
        // The task event first: it locks the task and checks that it exists and is not terminal.
        var change = await MutateAsync(tx, started.TaskId, ToolLifecycle.EventFor(started), now, ct);
        BindTool(tx.Queue(Sql["ToolInsert"], expectedRows: 1), started);
        await tx.CommitAsync(ct);
        return (started, change);
    }

    public async Task<(ToolExecution Execution, TaskChange Change)> ToolFinishAsync(string taskId, string executionId, ToolFinish finish, CancellationToken ct)
    {
        await using var tx = await BeginAsync(ct);
        // Lock order: the execution row, then the task row (in MutateAsync). Starts lock only the task.
        var rows = await tx.ReadAsync(ForUpdate("ToolGet"), ps => ps.With("task_id", taskId).With("id", executionId), PostgresRows.Rows.Tool, ct);
        var running = rows.Count == 1 ? rows[0] : throw new ToolNotFoundException(taskId, executionId);
        var now = _time.GetUtcNow();
        var done = ToolLifecycle.Finish(running, finish, now);
        var change = await MutateAsync(tx, taskId, ToolLifecycle.EventFor(done), now, ct);
        BindTool(tx.Queue(Sql["ToolFinish"], expectedRows: 1), done);
        await tx.CommitAsync(ct);
        return (done, change);
    }

    public async Task<IReadOnlyList<ToolExecution>> ToolListAsync(string taskId, CancellationToken ct)
    {
        await using var cmd = Command(Sql["ToolList"]);
        cmd.Parameters.With("task_id", taskId);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<ToolExecution>();
        while (await r.ReadAsync(ct))
        {
            list.Add(PostgresRows.Rows.Tool(r));
        }
        return list;
    }

    private static void BindTool(NpgsqlParameterCollection ps, ToolExecution e) => ps
        .With("id", e.Id).With("task_id", e.TaskId).With("tool_name", e.ToolName).With("arguments", e.Arguments)
        .With("status", e.Status).With("output", e.Output).With("error", e.Error).With("started_at", (DateTimeOffset?)e.StartedAt)
        .With("completed_at", e.CompletedAt).With("duration_ms", e.DurationMs).With("created_by", e.CreatedBy);

}
