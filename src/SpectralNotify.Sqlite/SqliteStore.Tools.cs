using Microsoft.Data.Sqlite;
using SpectralNotify.Tasks;
using SpectralNotify.Tools;

namespace SpectralNotify.Sqlite;

public sealed partial class SqliteStore
{
    public Task<(ToolExecution Execution, TaskChange Change)> ToolStartAsync(ToolExecution execution, CancellationToken ct) =>
        _writer.RunAsync(w =>
        {
            var now = _time.GetUtcNow();
            var started = execution with { Status = ToolStatus.Running, StartedAt = Clock.Truncate(now) };
            // The task event first: it checks that the task exists and is not terminal.
            var change = Mutate(w, started.TaskId, ToolLifecycle.EventFor(started), now);
            BindTool(w.Command(Sql["ToolInsert"]), started).ExecuteNonQuery();
            return (started, change);
        }, ct);

    public Task<(ToolExecution Execution, TaskChange Change)> ToolFinishAsync(string taskId, string executionId, ToolFinish finish, CancellationToken ct) =>
        _writer.RunAsync(w =>
        {
            ToolExecution running;
            using (var r = w.Command(Sql["ToolGet"]).With("@task_id", taskId).With("@id", executionId).ExecuteReader())
            {
                running = r.Read() ? SqliteRows.Rows.Tool(r) : throw new ToolNotFoundException(taskId, executionId);
            }
            var now = _time.GetUtcNow();
            var done = ToolLifecycle.Finish(running, finish, now);
            var change = Mutate(w, taskId, ToolLifecycle.EventFor(done), now);
            BindTool(w.Command(Sql["ToolFinish"]), done).ExecuteNonQuery();
            return (done, change);
        }, ct);

    public async Task<IReadOnlyList<ToolExecution>> ToolListAsync(string taskId, CancellationToken ct)
    {
        await using var c = await OpenReadAsync(ct);
        using var cmd = Cmd(c, Sql["ToolList"]).With("@task_id", taskId);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<ToolExecution>();
        while (await r.ReadAsync(ct))
        {
            list.Add(SqliteRows.Rows.Tool(r));
        }
        return list;
    }

    private static SqliteCommand BindTool(SqliteCommand cmd, ToolExecution e) => cmd
        .With("@id", e.Id).With("@task_id", e.TaskId).With("@tool_name", e.ToolName).With("@arguments", e.Arguments)
        .With("@status", e.Status).With("@output", e.Output).With("@error", e.Error).With("@started_at", e.StartedAt)
        .With("@completed_at", e.CompletedAt).With("@duration_ms", e.DurationMs).With("@created_by", e.CreatedBy);

}
