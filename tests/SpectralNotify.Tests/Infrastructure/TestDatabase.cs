using Npgsql;
using SpectralNotify.Migrations;
using SpectralNotify.Server.Hosting;
using SpectralNotify.Storage;

namespace SpectralNotify.Tests.Infrastructure;

/// <summary>
/// A private database per test: a fresh SQLite file in its own temp folder, or a fresh PostgreSQL
/// schema (selected through <c>Search Path</c>). Tests run in parallel without sharing state.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string? _folder;
    private readonly string? _schema;

    private TestDatabase(Engine engine, string setting, string? folder, string? schema)
    {
        Engine = engine;
        Setting = setting;
        _folder = folder;
        _schema = schema;
    }

    public Engine Engine { get; }

    /// <summary>The <c>SPECTRAL_DATABASE</c> value for this database.</summary>
    public string Setting { get; }

    public string? Folder => _folder;

    public static async Task<TestDatabase> CreateAsync(Engine engine)
    {
        Engines.Require(engine);
        if (engine == Engine.Sqlite)
        {
            var folder = Path.Combine(Path.GetTempPath(), "spectral-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            return new TestDatabase(engine, $"sqlite:{Path.Combine(folder, "spectral.db")}", folder, null);
        }
        var schema = "t_" + Guid.NewGuid().ToString("N")[..20];
        await using (var conn = new NpgsqlConnection(Engines.PostgresConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE SCHEMA {schema}", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        var builder = new NpgsqlConnectionStringBuilder(Engines.PostgresConnectionString) { SearchPath = schema };
        return new TestDatabase(engine, builder.ConnectionString, null, schema);
    }

    public DatabaseSetting Parsed => DatabaseSetting.Parse(Setting);

    public MigrationRunner CreateRunner() => StorageSetup.CreateRunner(Parsed);

    /// <summary>A migrated store on this database.</summary>
    public async Task<IStore> CreateStoreAsync(TimeProvider? time = null)
    {
        await CreateRunner().UpAsync(null, CancellationToken.None);
        return StorageSetup.CreateStore(Parsed, time ?? TimeProvider.System, nodeId: "test-" + Guid.NewGuid().ToString("N")[..6]);
    }

    /// <summary>
    /// Runs raw SQL on the database, around the store: for rows no API can produce any more (data
    /// written before a rule existed, or by another tool), to prove the engine copes with them.
    /// </summary>
    public async Task ExecuteAsync(string sql)
    {
        if (Engine == Engine.Sqlite)
        {
            await using var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Parsed.Value}");
            await c.OpenAsync();
            await using var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            await cmd.ExecuteNonQueryAsync();
            return;
        }
        await using var conn = new NpgsqlConnection(Setting);
        await conn.OpenAsync();
        await using var pg = new NpgsqlCommand(sql, conn);
        await pg.ExecuteNonQueryAsync();
    }

    /// <summary>The first column of every row of a raw query, as text (see <see cref="ExecuteAsync"/>).</summary>
    public async Task<List<string>> QueryStringsAsync(string sql)
    {
        var rows = new List<string>();
        if (Engine == Engine.Sqlite)
        {
            await using var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Parsed.Value}");
            await c.OpenAsync();
            await using var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync())
            {
                rows.Add(r.GetString(0));
            }
            return rows;
        }
        await using var conn = new NpgsqlConnection(Setting);
        await conn.OpenAsync();
        await using var pg = new NpgsqlCommand(sql, conn);
        await using var reader = await pg.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }
        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        if (_folder is not null)
        {
            try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
        if (_schema is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var conn = new NpgsqlConnection(Engines.PostgresConnectionString);
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE", conn);
            await cmd.ExecuteNonQueryAsync();
        }
    }
}
