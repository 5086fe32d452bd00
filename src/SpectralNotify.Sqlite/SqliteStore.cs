using Microsoft.Data.Sqlite;
using SpectralNotify.Health;
using SpectralNotify.Storage;

namespace SpectralNotify.Sqlite;

/// <summary>
/// The embedded engine: one SQLite file in WAL mode, a single writer loop that group-commits
/// (<see cref="SqliteWriter"/>), and pooled read connections that never block the writer.
/// </summary>
/// <remarks>
/// Known limits: one process per database file (the writer assumes it is the only writer), enforced
/// by <see cref="SqliteProcessLock"/>; live updates stay in-process. Use PostgreSQL for several nodes.
/// Bundled SQLite is 3.53 (SQLitePCLRaw.bundle_e_sqlite3 3.0.5).
/// </remarks>
public sealed partial class SqliteStore : IStore, IReportsHealth
{
    private static readonly NamedQueries Sql = NamedQueries.FromAssembly(typeof(SqliteStore).Assembly);
    private readonly string _connectionString;
    private readonly SqliteWriter _writer;
    private readonly TimeProvider _time;
    private readonly SqliteProcessLock _processLock;

    static SqliteStore() => SqliteLibrary.Init();

    /// <summary>The bundled SQLite library's version and threading mode, for the start-up log.</summary>
    public static string LibraryDescription =>
        $"SQLite {SQLitePCL.raw.sqlite3_libversion().utf8_to_string()}, {(SqliteLibrary.MultiThread ? "multi-thread mode" : "serialized mode (another part of the process opened SQLite first)")}";

    public SqliteStore(SqliteStoreOptions options, TimeProvider time)
    {
        _time = time;
        var full = System.IO.Path.GetFullPath(options.Path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        _processLock = SqliteProcessLock.Acquire(full);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = full, Pooling = true }.ToString();
        var writer = new SqliteConnection(_connectionString);
        try
        {
            writer.Open();
            Exec(writer, "PRAGMA journal_mode=WAL;");
            Exec(writer, $"PRAGMA synchronous={Synchronous(options.Synchronous)};");
            // Short: the writer retries a held lock itself, each caller bounded by WriteTimeout.
            Exec(writer, "PRAGMA busy_timeout=1000;");
            Exec(writer, $"PRAGMA cache_size={CacheSize(options.CacheMiB)};");
            Exec(writer, $"PRAGMA wal_autocheckpoint={Positive(options.CheckpointPages, nameof(options.CheckpointPages))};");
            // Each work item runs in a savepoint, whose journal (the original of every page the item
            // changes) SQLite spills to a temporary file past 64 KiB: as many pwrite calls as the WAL
            // itself took under batches. In memory it costs at most the pages one item touches and is
            // discarded at the item's end (docs/benchmarks.md, "Issue 14, ninth round").
            Exec(writer, "PRAGMA temp_store=MEMORY;");
        }
        catch
        {
            writer.Dispose();
            _processLock.Dispose();
            throw;
        }
        _writer = new SqliteWriter(writer, options, time);
    }


    /// <summary>Transactions committed by the writer loop and the work items they held.</summary>
    public (long Commits, long Items) WriterStats => (Interlocked.Read(ref _writer.Commits), Interlocked.Read(ref _writer.ItemsCommitted));

    /// <summary>Runs <paramref name="work"/> on the writer's connection, inside its transaction (for tests).</summary>
    internal Task<T> OnWriterAsync<T>(Func<WriteContext, T> work, CancellationToken ct) => _writer.RunAsync(work, ct);

    /// <summary>The writer loop (<c>sqlite-writer</c>).</summary>
    public IEnumerable<ComponentHealth> Components => [_writer.Health];

    internal static NamedQueries Queries => Sql;

    public async Task PingAsync(CancellationToken ct)
    {
        await using var c = await OpenReadAsync(ct);
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT 1";
        await cmd.ExecuteScalarAsync(ct);
    }

    internal async Task<SqliteConnection> OpenReadAsync(CancellationToken ct)
    {
        var c = new SqliteConnection(_connectionString);
        await c.OpenAsync(ct);
        return c;
    }

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        _processLock.Dispose();
    }

    private static void Exec(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    /// <summary>A negative <c>cache_size</c> is a size in KiB rather than a page count.</summary>
    private static long CacheSize(int mib) => -1024L * Positive(mib, nameof(SqliteStoreOptions.CacheMiB));

    private static int Positive(int value, string name) =>
        value > 0 ? value : throw new ArgumentOutOfRangeException(name, value, $"Sqlite {name} must be greater than zero.");

    private static string Synchronous(string value) => value.ToUpperInvariant() switch
    {
        "OFF" or "NORMAL" or "FULL" or "EXTRA" => value.ToUpperInvariant(),
        _ => throw new ArgumentException($"Sqlite synchronous must be OFF, NORMAL, FULL or EXTRA, not '{value}'."),
    };
}
