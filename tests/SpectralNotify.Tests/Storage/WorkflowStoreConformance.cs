using SpectralNotify.Tasks;
using SpectralNotify.Tests.Infrastructure;
using SpectralNotify.Workflows;

namespace SpectralNotify.Tests.Storage;

/// <summary>Workflows in the store, on every engine.</summary>
public abstract class WorkflowStoreConformance
{
    protected abstract Engine Engine { get; }

    private static readonly PhaseInput[] Phases =
    [
        new("fetch", "Fetch", 0.4),
        new("work", "Work", 0.6),
        new("work.a", "Work A", 0.5, "work"),
        new("work.b", "Work B", 0.5, "work"),
    ];

    [Fact]
    public async Task Create_update_finish_round_trip_with_history()
    {
        await using var db = await TestDatabase.CreateAsync(Engine);
        var time = new ManualTime(new DateTimeOffset(2026, 8, 1, 0, 0, 0, TimeSpan.Zero));
        await using var store = await db.CreateStoreAsync(time);

        var created = await store.WorkflowCreateAsync(new("wf", Phases, """{"job":"x"}""", "me", TaskState.Pending), default);
        Assert.Equal(created.Workflow, (await store.WorkflowGetAsync("wf", default))!.Workflow);
        await Assert.ThrowsAsync<WorkflowAlreadyExistsException>(() => store.WorkflowCreateAsync(new("wf", Phases, "{}", null, TaskState.Pending), default));

        time.Advance(TimeSpan.FromSeconds(1));
        await store.WorkflowUpdatePhaseAsync(new("wf", "fetch", 100, null), default);
        var change = await store.WorkflowUpdatePhaseAsync(new("wf", "work.a", 100, """{"note":1}"""), default);
        Assert.Equal((70, TaskState.InProgress, 2), (change.Workflow.OverallProgress, change.Workflow.Status, change.Workflow.CompletedPhaseCount));
        var snapshot = (await store.WorkflowGetAsync("wf", default))!;
        Assert.Equal(change.Workflow, snapshot.Workflow);
        Assert.Equal(change.Phases, snapshot.Phases);
        Assert.Equal((50.0, TaskState.InProgress, 1), (snapshot.Phases[1].Progress, snapshot.Phases[1].Status, snapshot.Phases[2].Depth));

        await Assert.ThrowsAsync<ParentPhaseException>(() => store.WorkflowUpdatePhaseAsync(new("wf", "work", 10, null), default));
        await Assert.ThrowsAsync<PhaseNotFoundException>(() => store.WorkflowUpdatePhaseAsync(new("wf", "zzz", 10, null), default));
        await Assert.ThrowsAsync<WorkflowNotFoundException>(() => store.WorkflowUpdatePhaseAsync(new("nope", "fetch", 10, null), default));

        var done = await store.WorkflowFinishAsync(new("wf", TaskState.Success, null, null), default);
        Assert.Equal((TaskState.Success, 100, 4L), (done.Workflow.Status, done.Workflow.OverallProgress, done.Event.Seq));
        await Assert.ThrowsAsync<WorkflowTerminalException>(() => store.WorkflowUpdatePhaseAsync(new("wf", "work.b", 10, null), default));
        Assert.Equal(4, (await store.WorkflowGetAsync("wf", default))!.Workflow.LastSeq);

        var history = await store.WorkflowEventListAsync("wf", 0, 100, default);
        Assert.Equal([("log", null), ("phase-progress", "fetch"), ("phase-progress", "work.a"), ("success", null)],
            history.Select(h => (h.Type, h.PhaseKey)));
        Assert.Equal("""{"note":1}""", history[2].Metadata);

        await store.WorkflowCreateAsync(new("wf2", [new("only", "Only", 1)], "{}", null, TaskState.Pending), default);
        var page = await store.WorkflowListAsync(new WorkflowListParams(null, 1, null), default);
        Assert.Equal(["wf2"], page.Items.Select(w => w.Id));
        Assert.Equal(["wf"], (await store.WorkflowListAsync(new WorkflowListParams(null, 5, page.Next), default)).Items.Select(w => w.Id));
        Assert.Equal(["wf"], (await store.WorkflowListAsync(new WorkflowListParams(TaskState.Success, 5, null), default)).Items.Select(w => w.Id));

        Assert.True(await store.WorkflowDeleteAsync("wf", default));
        Assert.Null(await store.WorkflowGetAsync("wf", default));
        Assert.Empty(await store.WorkflowEventListAsync("wf", 0, 10, default));
        Assert.False(await store.WorkflowDeleteAsync("wf", default));
    }

    /// <summary>Test-only SQL: a table <c>phase_writes(id, phase_key)</c> and a trigger adding a row for every UPDATE of a workflow_phases row.</summary>
    protected abstract string RecordPhaseWritesSql { get; }

    [Fact]
    public async Task An_update_writes_only_the_phase_and_the_ancestors_it_changed()
    {
        await using var db = await TestDatabase.CreateAsync(Engine);
        await using var store = await db.CreateStoreAsync();
        await store.WorkflowCreateAsync(new("wf", Phases, "{}", null, TaskState.Pending), default);
        await db.ExecuteAsync(RecordPhaseWritesSql);

        await store.WorkflowUpdatePhaseAsync(new("wf", "work.a", 50, null), default); // work.a and its parent move
        await store.WorkflowUpdatePhaseAsync(new("wf", "work.a", 50, null), default); // the parent stays at 25, in progress
        var fetched = await store.WorkflowUpdatePhaseAsync(new("wf", "fetch", 10, null), default);

        Assert.Equal(["work.a", "work", "work.a", "fetch"], await db.QueryStringsAsync("SELECT phase_key FROM phase_writes ORDER BY id"));
        Assert.Equal(fetched.Phases, (await store.WorkflowGetAsync("wf", default))!.Phases);
        Assert.Equal((25.0, TaskState.InProgress), (fetched.Phases[1].Progress, fetched.Phases[1].Status));
    }

    [Fact]
    public async Task Concurrent_phase_updates_get_consecutive_seq()
    {
        await using var db = await TestDatabase.CreateAsync(Engine);
        await using var store = await db.CreateStoreAsync();
        await store.WorkflowCreateAsync(new("wf", Phases, "{}", null, TaskState.Pending), default);
        var changes = await Task.WhenAll(Enumerable.Range(1, 40).Select(i =>
            store.WorkflowUpdatePhaseAsync(new("wf", i % 2 == 0 ? "work.a" : "work.b", i, null), default)));
        Assert.Equal(Enumerable.Range(2, 40).Select(i => (long)i), changes.Select(c => c.Event.Seq).Order());
        Assert.Equal(41, (await store.WorkflowGetAsync("wf", default))!.Workflow.LastSeq);
    }
}

public sealed class SqliteWorkflowStoreTests : WorkflowStoreConformance
{
    protected override Engine Engine => Engine.Sqlite;

    protected override string RecordPhaseWritesSql => """
        CREATE TABLE phase_writes (id INTEGER PRIMARY KEY AUTOINCREMENT, phase_key TEXT NOT NULL);
        CREATE TRIGGER phase_writes_on_update AFTER UPDATE ON workflow_phases BEGIN INSERT INTO phase_writes (phase_key) VALUES (new.phase_key); END;
        """;
}

public sealed class PostgresWorkflowStoreTests : WorkflowStoreConformance
{
    protected override Engine Engine => Engine.Postgres;

    protected override string RecordPhaseWritesSql => """
        CREATE TABLE phase_writes (id bigserial PRIMARY KEY, phase_key text NOT NULL);
        CREATE FUNCTION record_phase_write() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO phase_writes (phase_key) VALUES (NEW.phase_key); RETURN NEW; END $$;
        CREATE TRIGGER phase_writes_on_update AFTER UPDATE ON workflow_phases FOR EACH ROW EXECUTE FUNCTION record_phase_write();
        """;
}
