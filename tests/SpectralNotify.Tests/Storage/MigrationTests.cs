using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using SpectralNotify.Migrations;
using SpectralNotify.Postgres;
using SpectralNotify.Sqlite;
using SpectralNotify.Storage;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Storage;

public sealed class MigrationTests
{
    [Fact]
    public void Both_engines_have_the_same_migrations_and_query_names()
    {
        var sqlite = Migration.FromAssembly(typeof(SqliteStore).Assembly).Select(m => (m.Version, m.Name));
        var postgres = Migration.FromAssembly(typeof(PostgresStore).Assembly).Select(m => (m.Version, m.Name));
        Assert.Equal(sqlite, postgres);
        Assert.Equal(Enumerable.Range(1, sqlite.Count()), sqlite.Select(m => m.Version));
        // "Pg…" queries are PostgreSQL-only round-trip savers (many rows per statement); SQLite's
        // single writer has no round trips to save. "Sqlite…" queries are SQLite-only variants for
        // SQLite's cost model (which indexes an UPDATE rewrites). Every other query exists in both engines.
        Assert.Equal(
            NamedQueries.FromAssembly(typeof(SqliteStore).Assembly).Names.Where(n => !n.StartsWith("Sqlite", StringComparison.Ordinal)).Order(),
            NamedQueries.FromAssembly(typeof(PostgresStore).Assembly).Names.Where(n => !n.StartsWith("Pg", StringComparison.Ordinal)).Order());
        Assert.DoesNotContain(NamedQueries.FromAssembly(typeof(SqliteStore).Assembly).Names, n => n.StartsWith("Pg", StringComparison.Ordinal));
        Assert.DoesNotContain(NamedQueries.FromAssembly(typeof(PostgresStore).Assembly).Names, n => n.StartsWith("Sqlite", StringComparison.Ordinal));
    }

    /// <summary>The SQLite-only update for writes that keep the status is TaskUpdate without status, kept in step by hand.</summary>
    [Fact]
    public void The_sqlite_update_keeping_the_status_is_the_task_update_without_status()
    {
        var queries = NamedQueries.FromAssembly(typeof(SqliteStore).Assembly);
        static string Normal(string sql) => string.Join(' ', sql.Split('\n')
            .Select(line => line.Trim()).Where(line => line.Length > 0 && !line.StartsWith("--", StringComparison.Ordinal)));

        Assert.Equal(Normal(queries["TaskUpdate"]).Replace("status = @status, ", "", StringComparison.Ordinal),
            Normal(queries["SqliteTaskUpdateKeepingStatus"]));
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Runners_starting_together_apply_each_migration_once(Engine engine)
    {
        await using var db = await TestDatabase.CreateAsync(engine);
        var applied = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => db.CreateRunner().UpAsync(null, default))));
        Assert.Equal(db.CreateRunner().Migrations.Count, applied.Sum(a => a.Count));
        Assert.True(await db.CreateRunner().IsCurrentAsync(default));
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_changed_migration_is_detected_by_checksum(Engine engine)
    {
        await using var db = await TestDatabase.CreateAsync(engine);
        var runner = db.CreateRunner();
        await runner.UpAsync(null, default);
        await using (var c = Open(db))
        {
            await c.OpenAsync();
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "UPDATE schema_migrations SET checksum = 'tampered' WHERE version = 1";
            Assert.Equal(1, await cmd.ExecuteNonQueryAsync());
        }
        var status = await runner.StatusAsync(default);
        Assert.False(status.Single(s => s.Version == 1).ChecksumMatches);
        Assert.False(await runner.IsCurrentAsync(default));
        await Assert.ThrowsAsync<MigrationChecksumException>(() => runner.UpAsync(null, default));
    }

    private static DbConnection Open(TestDatabase db) => db.Engine == Engine.Sqlite
        ? new SqliteConnection($"Data Source={db.Parsed.Value};Pooling=False")
        : new NpgsqlConnection(db.Setting);
}
