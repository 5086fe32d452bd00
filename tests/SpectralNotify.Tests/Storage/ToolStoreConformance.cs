using SpectralNotify.Tasks;
using SpectralNotify.Tests.Infrastructure;
using SpectralNotify.Tools;

namespace SpectralNotify.Tests.Storage;

/// <summary>Tool executions in the store, on every engine: each start and finish is one task event in the same transaction.</summary>
public abstract class ToolStoreConformance
{
    protected abstract Engine Engine { get; }

    private static ToolExecution New(string id, string task = "t1") =>
        new() { Id = id, TaskId = task, ToolName = "search", Arguments = """{"q":"x"}""", CreatedBy = "agent" };

    [Fact]
    public async Task Start_and_finish_record_duration_and_append_task_events()
    {
        await using var db = await TestDatabase.CreateAsync(Engine);
        var time = new ManualTime(new DateTimeOffset(2026, 6, 1, 9, 0, 0, TimeSpan.Zero));
        await using var store = await db.CreateStoreAsync(time);
        await store.TaskCreateAsync(new NewTask { Id = "t1" }, default);

        var (started, startChange) = await store.ToolStartAsync(New("e1"), default);
        Assert.Equal((ToolStatus.Running, time.GetUtcNow(), 2L), (started.Status, started.StartedAt, startChange.Event.Seq));
        Assert.Equal((TaskChangeKind.Tool, "Tool search started", TaskState.InProgress), (startChange.Event.Kind, startChange.Event.Message, startChange.Task.Status));
        await store.ToolStartAsync(New("e2"), default);

        time.Advance(TimeSpan.FromMilliseconds(1234));
        var (done, doneChange) = await store.ToolFinishAsync("t1", "e1", new ToolFinish(ToolStatus.Success, """{"hits":3}""", null), default);
        Assert.Equal((ToolStatus.Success, 1234L, """{"hits":3}"""), (done.Status, done.DurationMs!.Value, done.Output!));
        Assert.Equal(("log", "Tool search completed in 1234 ms", 4L), (doneChange.Event.Type, doneChange.Event.Message, doneChange.Event.Seq));
        Assert.Contains("\"durationMs\":1234", doneChange.Event.Metadata, StringComparison.Ordinal);
        var (timedOut, toChange) = await store.ToolFinishAsync("t1", "e2", new ToolFinish(ToolStatus.Timeout, null, "timed out"), default);
        Assert.Equal(("error", ToolStatus.Timeout), (toChange.Event.Type, timedOut.Status));

        await Assert.ThrowsAsync<ToolNotRunningException>(() => store.ToolFinishAsync("t1", "e1", new ToolFinish(ToolStatus.Failed, null, "x"), default));
        await Assert.ThrowsAsync<ToolNotFoundException>(() => store.ToolFinishAsync("t1", "nope", new ToolFinish(ToolStatus.Failed, null, "x"), default));
        await Assert.ThrowsAsync<TaskNotFoundException>(() => store.ToolStartAsync(New("e3", task: "missing"), default));

        var list = await store.ToolListAsync("t1", default);
        Assert.Equal([("e1", ToolStatus.Success), ("e2", ToolStatus.Timeout)], list.Select(e => (e.Id, e.Status)));
        Assert.Equal(done, list[0]);
        Assert.Equal(5, (await store.TaskGetAsync("t1", default))!.LastSeq);

        await store.TaskMutateAsync("t1", new CompleteMutation(null), default);
        await Assert.ThrowsAsync<TaskTerminalException>(() => store.ToolStartAsync(New("e4"), default));
        Assert.Equal(2, (await store.ToolListAsync("t1", default)).Count);
        Assert.NotNull(await store.TaskDeleteAsync("t1", default));
        Assert.Empty(await store.ToolListAsync("t1", default));
    }
}

public sealed class SqliteToolStoreTests : ToolStoreConformance
{
    protected override Engine Engine => Engine.Sqlite;
}

public sealed class PostgresToolStoreTests : ToolStoreConformance
{
    protected override Engine Engine => Engine.Postgres;
}
