using Microsoft.Data.Sqlite;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Storage;

/// <summary>
/// SQLite's migration 15 moves task_events from a table clustered by (task_id, seq) to one in write
/// order with a unique (task_id, seq) index: every stored event survives it, both ways, and a
/// repeated seq is still refused. Every migration also reverts to nothing and applies again on both
/// engines (PostgreSQL's 15 changes nothing).
/// </summary>
public sealed class EventLayoutMigrationTests
{
    [Fact]
    public async Task Stored_events_survive_the_move_to_write_order_and_back()
    {
        await using var db = await TestDatabase.CreateAsync(Engine.Sqlite);
        var runner = db.CreateRunner();
        await runner.UpAsync(14, default);
        await db.ExecuteAsync("""
            INSERT INTO tasks (id, status, created_at, updated_at, last_seq, version) VALUES
              ('b', 'in-progress', '2026-12-03T08:00:00.000Z', '2026-12-03T08:00:00.000Z', 3, 1),
              ('a', 'in-progress', '2026-12-03T08:00:00.000Z', '2026-12-03T08:00:00.000Z', 2, 1);
            INSERT INTO task_events (task_id, seq, type, kind, message, progress, metadata, timestamp) VALUES
              ('b', 1, 'log', 'log', 'b1', NULL, NULL, '2026-12-03T08:00:00.001Z'),
              ('a', 1, 'progress', 'progress', 'a1', 10, '{"k":1}', '2026-12-03T08:00:00.002Z'),
              ('b', 2, 'log', 'log', 'b2', NULL, NULL, '2026-12-03T08:00:00.003Z'),
              ('a', 2, 'success', 'success', 'a2', 100, NULL, '2026-12-03T08:00:00.004Z'),
              ('b', 3, 'error', 'error', 'b3', NULL, NULL, '2026-12-03T08:00:00.005Z');
            """);
        var before = await EventsAsync(db);

        await runner.UpAsync(null, default);
        Assert.Equal(before, await EventsAsync(db));
        Assert.Contains("ux_task_events_task_seq", await db.QueryStringsAsync("SELECT name FROM pragma_index_list('task_events')"));
        var duplicate = await Assert.ThrowsAsync<SqliteException>(() => db.ExecuteAsync(
            "INSERT INTO task_events (task_id, seq, type, kind, message, timestamp) VALUES ('a', 2, 'log', 'log', 'again', '2026-12-03T08:00:01.000Z')"));
        Assert.Contains("UNIQUE", duplicate.Message, StringComparison.Ordinal);

        await runner.DownAsync(14, default);
        Assert.Equal(before, await EventsAsync(db));
        Assert.Contains("WITHOUT ROWID", Assert.Single(await db.QueryStringsAsync("SELECT sql FROM sqlite_master WHERE name = 'task_events'")));
        await runner.UpAsync(null, default);
        Assert.Equal(before, await EventsAsync(db));
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Every_migration_reverts_and_applies_again(Engine engine)
    {
        await using var db = await TestDatabase.CreateAsync(engine);
        var runner = db.CreateRunner();
        await runner.UpAsync(null, default);
        Assert.Equal(runner.Migrations.Count, (await runner.DownAsync(0, default)).Count);
        Assert.Equal(runner.Migrations.Count, (await runner.UpAsync(null, default)).Count);
        Assert.True(await runner.IsCurrentAsync(default));
    }

    /// <summary>Every event, one line each, in (task_id, seq) order.</summary>
    private static Task<List<string>> EventsAsync(TestDatabase db) => db.QueryStringsAsync("""
        SELECT task_id || '|' || seq || '|' || type || '|' || kind || '|' || message || '|' || coalesce(progress, 'null')
               || '|' || coalesce(metadata, 'null') || '|' || timestamp
        FROM task_events ORDER BY task_id, seq
        """);
}
