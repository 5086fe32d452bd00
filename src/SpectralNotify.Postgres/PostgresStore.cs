using Npgsql;
using SpectralNotify.Storage;

namespace SpectralNotify.Postgres;

/// <summary>
/// The shared engine: several server processes use one PostgreSQL database. Writes run in short
/// READ COMMITTED transactions on pooled connections from one <see cref="NpgsqlDataSource"/>, and
/// every committed change is announced to the other nodes with NOTIFY on
/// <c>spectral_&lt;schema&gt;</c>, which <see cref="PostgresChangeListener"/> turns into feed items.
/// </summary>
/// <remarks>
/// <para>
/// Ordering invariant. A mutation reads its task with <c>SELECT … FOR UPDATE</c>. The row lock is
/// held until commit, so writers of one task run one after another: each reads the
/// <c>last_seq</c> the previous one committed, seq values are 1, 2, 3 … without gaps or
/// duplicates, and they commit in seq order. (Creation needs no lock: the primary key lets only one
/// insert of an id win.)
/// </para>
/// <para>
/// Notification invariant. <c>pg_notify</c> runs inside the write transaction, not after it: the
/// server delivers it only if the transaction commits, at commit, and notifications reach a listener
/// in commit order. With the row lock that means every node sees one task's events in seq order, and
/// never an event that was rolled back. A notification sent after commit could be lost to a crash
/// in between, or overtaken by the next writer's. Listeners still treat notifications as hints:
/// one lost during a reconnect is repaired from storage by the realtime hub. The price: PostgreSQL
/// queues notifications under a database-wide lock taken at commit and held through the WAL flush, so
/// the commits of notifying transactions are serialized with each other (only the commit step, not the
/// work before it). That is why task writes and enqueues commit in groups (PostgresStore.TaskGroup.cs):
/// one flush and one lock per group instead of per write.
/// </para>
/// <para>
/// "Now" always comes from the injected <see cref="TimeProvider"/> and is sent as a parameter, so
/// the database clock plays no part and tests can fix time. Timestamps are millisecond-truncated.
/// </para>
/// </remarks>
public sealed partial class PostgresStore : IStore
{
    private static readonly NamedQueries Sql = NamedQueries.FromAssembly(typeof(PostgresStore).Assembly);
    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;
    private readonly string _nodeId;
    private readonly string _channel;

    public PostgresStore(PostgresStoreOptions options, TimeProvider time)
    {
        _time = time;
        _nodeId = options.NodeId;
        _channel = PostgresNames.Channel(options.Schema);
        _dataSource = NpgsqlDataSource.Create(options.EffectiveConnectionString());
    }


    internal static NamedQueries Queries => Sql;

    public async Task PingAsync(CancellationToken ct)
    {
        await using var cmd = _dataSource.CreateCommand("SELECT 1");
        await cmd.ExecuteScalarAsync(ct);
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    /// <summary>
    /// A named single-row read that also takes the row's lock until commit: the locking reads are
    /// derived from the shared query names (TaskGet, CounterGet, …), so both engines keep one name set.
    /// </summary>
    private static string ForUpdate(string query) => Sql[query].TrimEnd().TrimEnd(';') + "\nFOR UPDATE";

    private Task<PostgresWriteTransaction> BeginAsync(CancellationToken ct) => PostgresWriteTransaction.BeginAsync(_dataSource, ct);

    /// <summary>A pooled connection's command for a single statement, outside any explicit transaction.</summary>
    private NpgsqlCommand Command(string sql) => _dataSource.CreateCommand(sql);
}
