using Microsoft.Data.Sqlite;
using SpectralNotify.Migrations;

namespace SpectralNotify.Sqlite;

/// <summary>
/// Migrates a SQLite file. The lock is SQLite's own write lock: each step runs in a
/// <c>BEGIN IMMEDIATE</c> transaction on a dedicated connection, and a process-wide semaphore keeps
/// two runners of one process from interleaving.
/// </summary>
public sealed class SqliteMigrationDriver(string path) : IMigrationDriver
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private readonly string _connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = CreateFolder(path),
        Pooling = false,
        DefaultTimeout = 30,
    }.ToString();

    static SqliteMigrationDriver() => SqliteLibrary.Init();

    public IReadOnlyList<Migration> Migrations { get; } = Migration.FromAssembly(typeof(SqliteMigrationDriver).Assembly);

    public async Task<T> WithMigrationLockAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken ct)
    {
        await Gate.WaitAsync(ct);
        try
        {
            return await work(ct);
        }
        finally
        {
            Gate.Release();
        }
    }

    public async Task<IReadOnlyList<AppliedMigration>> AppliedAsync(CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await ExecAsync(c, null, """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    INTEGER NOT NULL PRIMARY KEY,
                name       TEXT    NOT NULL,
                checksum   TEXT    NOT NULL,
                applied_at TEXT    NOT NULL
            )
            """, ct);
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version";
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<AppliedMigration>();
        while (await r.ReadAsync(ct))
        {
            list.Add(new AppliedMigration(r.GetInt32(0), r.GetString(1), r.GetString(2), SqliteRows.Time(r, 3)!.Value));
        }
        return list;
    }

    public async Task ApplyUpAsync(Migration migration, DateTimeOffset now, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await using var tx = (SqliteTransaction)await c.BeginTransactionAsync(ct);
        await ExecAsync(c, tx, migration.Up, ct);
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (@v, @n, @c, @t)";
        cmd.With("@v", migration.Version).With("@n", migration.Name).With("@c", migration.Checksum).With("@t", Clock.Truncate(now));
        await cmd.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
    }

    public async Task ApplyDownAsync(Migration migration, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await using var tx = (SqliteTransaction)await c.BeginTransactionAsync(ct);
        await ExecAsync(c, tx, migration.Down, ct);
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "DELETE FROM schema_migrations WHERE version = @v";
        cmd.With("@v", migration.Version);
        await cmd.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        var c = new SqliteConnection(_connectionString);
        await c.OpenAsync(ct);
        await ExecAsync(c, null, "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=30000;", ct);
        return c;
    }

    private static async Task ExecAsync(SqliteConnection c, SqliteTransaction? tx, string sql, CancellationToken ct)
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static string CreateFolder(string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        return full;
    }
}
