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
        await using var c = new SqliteConnection($"Data Source={db.Parsed.Value};Pooling=False");
        await c.OpenAsync();
        await ExecuteAsync(c, """
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
        var before = await EventsAsync(c);

        await runner.UpAsync(null, default);
        Assert.Equal(before, await EventsAsync(c));
        Assert.Contains("ux_task_events_task_seq", await ScalarAsync(c, "SELECT group_concat(name) FROM pragma_index_list('task_events')"));
        var duplicate = await Assert.ThrowsAsync<SqliteException>(() => ExecuteAsync(c,
            "INSERT INTO task_events (task_id, seq, type, kind, message, timestamp) VALUES ('a', 2, 'log', 'log', 'again', '2026-12-03T08:00:01.000Z')"));
        Assert.Contains("UNIQUE", duplicate.Message, StringComparison.Ordinal);

        await runner.DownAsync(14, default);
        Assert.Equal(before, await EventsAsync(c));
        Assert.Contains("WITHOUT ROWID", await ScalarAsync(c, "SELECT sql FROM sqlite_master WHERE name = 'task_events'"));
        await runner.UpAsync(null, default);
        Assert.Equal(before, await EventsAsync(c));
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

    private static async Task<List<string>> EventsAsync(SqliteConnection c)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT task_id, seq, type, kind, message, progress, metadata, timestamp FROM task_events ORDER BY task_id, seq";
        await using var r = await cmd.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await r.ReadAsync())
        {
            rows.Add(string.Join('|', Enumerable.Range(0, r.FieldCount).Select(i => r.IsDBNull(i) ? "null" : Convert.ToString(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        }
        return rows;
    }

    private static async Task ExecuteAsync(SqliteConnection c, string sql)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<string> ScalarAsync(SqliteConnection c, string sql)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToString(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) ?? "";
    }
}
