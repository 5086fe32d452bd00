using Npgsql;
using SpectralNotify.Migrations;

namespace SpectralNotify.Postgres;

/// <summary>
/// Migrates the schema named by <see cref="PostgresStoreOptions.Schema"/>, creating it when missing.
/// The lock is a session-level <c>pg_advisory_lock</c> keyed by the schema name, held on one
/// dedicated connection while the runner works, so processes starting together migrate one at a
/// time and each step is applied once. Each step runs on its own connection in its own transaction
/// together with its <c>schema_migrations</c> row: PostgreSQL DDL is transactional, so a failing
/// step leaves neither its objects nor its record behind.
/// </summary>
public sealed class PostgresMigrationDriver : IMigrationDriver
{
    private readonly string _connectionString;
    private readonly string _schema;
    private readonly string _table;
    private readonly long _lockKey;

    public PostgresMigrationDriver(PostgresStoreOptions options)
    {
        _connectionString = options.EffectiveConnectionString();
        _schema = options.Schema;
        _table = PostgresNames.QuoteIdentifier(_schema) + ".schema_migrations";
        _lockKey = PostgresNames.MigrationLockKey(_schema);
    }

    public IReadOnlyList<Migration> Migrations { get; } = Migration.FromAssembly(typeof(PostgresMigrationDriver).Assembly);

    public async Task<T> WithMigrationLockAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken ct)
    {
        // Not pooled: closing it ends the session, which releases the lock even if the unlock below never runs.
        var builder = new NpgsqlConnectionStringBuilder(_connectionString) { Pooling = false };
        await using var lockConnection = new NpgsqlConnection(builder.ConnectionString);
        await lockConnection.OpenAsync(ct);
        await ExecAsync(lockConnection, null, "SELECT pg_advisory_lock(@key)", ct, ("key", _lockKey));
        try
        {
            return await work(ct);
        }
        finally
        {
            // Not ct: the lock must be released even when the work was canceled.
            await ExecAsync(lockConnection, null, "SELECT pg_advisory_unlock(@key)", CancellationToken.None, ("key", _lockKey));
        }
    }

    public async Task<IReadOnlyList<AppliedMigration>> AppliedAsync(CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await EnsureSchemaAsync(c, ct);
        await ExecAsync(c, null, $"""
            CREATE TABLE IF NOT EXISTS {_table} (
                version    integer     NOT NULL PRIMARY KEY,
                name       text        NOT NULL,
                checksum   text        NOT NULL,
                applied_at timestamptz NOT NULL
            )
            """, ct);
        await using var cmd = new NpgsqlCommand($"SELECT version, name, checksum, applied_at FROM {_table} ORDER BY version", c);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<AppliedMigration>();
        while (await r.ReadAsync(ct))
        {
            list.Add(new AppliedMigration(r.GetInt32(0), r.GetString(1), r.GetString(2), PostgresRows.Time(r, 3)!.Value));
        }
        return list;
    }

    public async Task ApplyUpAsync(Migration migration, DateTimeOffset now, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await PinSearchPathAsync(c, tx, ct);
        await ExecAsync(c, tx, migration.Up, ct);
        await using (var cmd = new NpgsqlCommand($"INSERT INTO {_table} (version, name, checksum, applied_at) VALUES (@v, @n, @c, @t)", c, tx))
        {
            cmd.Parameters.With("v", migration.Version).With("n", migration.Name).With("c", migration.Checksum).With("t", now);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
    }

    public async Task ApplyDownAsync(Migration migration, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await PinSearchPathAsync(c, tx, ct);
        await ExecAsync(c, tx, migration.Down, ct);
        await ExecAsync(c, tx, $"DELETE FROM {_table} WHERE version = @v", ct, ("v", migration.Version));
        await tx.CommitAsync(ct);
    }

    /// <summary>
    /// Creates the schema only when missing: CREATE SCHEMA IF NOT EXISTS checks the privilege to
    /// create schemas before checking existence, which a least-privilege role would fail.
    /// </summary>
    private async Task EnsureSchemaAsync(NpgsqlConnection c, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = @schema)", c);
        cmd.Parameters.With("schema", _schema);
        if (await cmd.ExecuteScalarAsync(ct) is not true)
        {
            await ExecAsync(c, null, "CREATE SCHEMA IF NOT EXISTS " + PostgresNames.QuoteIdentifier(_schema), ct);
        }
    }

    /// <summary>The migration SQL names no schema; this makes its objects land in ours whatever else the search path lists.</summary>
    private Task PinSearchPathAsync(NpgsqlConnection c, NpgsqlTransaction tx, CancellationToken ct) =>
        ExecAsync(c, tx, "SET LOCAL search_path TO " + PostgresNames.QuoteIdentifier(_schema), ct);

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        var c = new NpgsqlConnection(_connectionString);
        await c.OpenAsync(ct);
        return c;
    }

    private static async Task ExecAsync(NpgsqlConnection c, NpgsqlTransaction? tx, string sql, CancellationToken ct, params (string Name, long Value)[] parameters)
    {
        await using var cmd = new NpgsqlCommand(sql, c, tx);
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.With(name, value);
        }
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
