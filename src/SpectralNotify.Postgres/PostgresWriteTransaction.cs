using Npgsql;
using SpectralNotify.Storage;

namespace SpectralNotify.Postgres;

/// <summary>
/// A write transaction that saves round trips: statements whose results decide nothing (UPDATE,
/// event INSERT, pg_notify) are queued, and go to the server in one <see cref="NpgsqlBatch"/>
/// together with the next statement whose result is needed, or at commit.
/// </summary>
/// <remarks>
/// Queued statements still run before the statement that flushes them, in order, in this
/// transaction, so a later read sees earlier writes (a batch that mutates one task twice reads its
/// own update). A failing queued statement surfaces at that flush and the transaction is rolled back
/// on dispose unless <see cref="CommitAsync"/> ran. BEGIN is not a round trip of its own: Npgsql
/// sends it with the first statement.
/// </remarks>
internal sealed class PostgresWriteTransaction : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly List<Queued> _queue = [];

    private PostgresWriteTransaction(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    public static async Task<PostgresWriteTransaction> BeginAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        var connection = await dataSource.OpenConnectionAsync(ct);
        try
        {
            // READ COMMITTED (the default) is what the row-lock protocol assumes: a statement that
            // waited for a lock sees the row as the lock holder committed it.
            return new PostgresWriteTransaction(connection, await connection.BeginTransactionAsync(ct));
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Queues a statement. <paramref name="expectedRows"/>, when set, is checked at the flush.</summary>
    public NpgsqlParameterCollection Queue(string sql, int? expectedRows = null) =>
        Enqueue(sql, returnsRows: false, expectedRows, duplicate: null);

    /// <summary>
    /// Queues an INSERT whose unique violation is the caller's domain answer (an id already taken):
    /// when the server refuses it at the flush with 23505, <paramref name="duplicate"/>'s exception is
    /// thrown instead (the transaction is then aborted, and rolled back on dispose).
    /// </summary>
    public NpgsqlParameterCollection QueueInsert(string sql, Func<Exception> duplicate) =>
        Enqueue(sql, returnsRows: false, expectedRows: null, duplicate);

    /// <summary>Queues a statement that returns one result set whose rows nobody needs (e.g. a batch of <c>pg_notify</c>).</summary>
    public NpgsqlParameterCollection QueueQuery(string sql) => Enqueue(sql, returnsRows: true, expectedRows: null, duplicate: null);

    /// <summary>Queues <c>pg_notify</c>: delivered to listeners when, and only if, this transaction commits.</summary>
    public void Notify(string channel, string payload) =>
        Enqueue("SELECT pg_notify(@channel, @payload)", returnsRows: true, expectedRows: null, duplicate: null)
            .With("channel", channel).With("payload", payload);

    /// <summary>Sends the queue, then <paramref name="sql"/>, and maps every row it returns.</summary>
    public async Task<List<T>> ReadAsync<T>(string sql, Action<NpgsqlParameterCollection> bind,
        Func<NpgsqlDataReader, T> map, CancellationToken ct)
    {
        var command = new NpgsqlBatchCommand(sql);
        bind(command.Parameters);
        await using var batch = TakeBatch(command, out var queued);
        var rows = new List<T>();
        try
        {
            await using var reader = await batch.ExecuteReaderAsync(ct);
            // Npgsql skips statements without a result set (INSERT, UPDATE); the queued pg_notify
            // selects return one row each and come before ours.
            for (var skip = queued.Count(q => q.ReturnsRows); skip > 0; skip--)
            {
                await reader.NextResultAsync(ct);
            }
            while (await reader.ReadAsync(ct))
            {
                rows.Add(map(reader));
            }
        }
        catch (PostgresException ex) when (Duplicate(ex, queued) is { } answer)
        {
            throw answer;
        }
        Check(queued);
        return rows;
    }

    /// <summary>Sends the queue, then <paramref name="sql"/>; returns the rows it affected.</summary>
    public async Task<int> ExecuteAsync(string sql, Action<NpgsqlParameterCollection> bind, CancellationToken ct)
    {
        var command = new NpgsqlBatchCommand(sql);
        bind(command.Parameters);
        await using var batch = TakeBatch(command, out var queued);
        await SendAsync(batch, queued, ct);
        return command.RecordsAffected;
    }

    /// <summary>Sends the queue without committing: a failure here is surely not applied.</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        if (_queue.Count > 0)
        {
            await using var batch = TakeBatch(null, out var queued);
            await SendAsync(batch, queued, ct);
        }
    }

    private static async Task SendAsync(NpgsqlBatch batch, List<Queued> queued, CancellationToken ct)
    {
        try
        {
            await batch.ExecuteNonQueryAsync(ct);
        }
        catch (PostgresException ex) when (Duplicate(ex, queued) is { } answer)
        {
            throw answer;
        }
        Check(queued);
    }

    /// <summary>Sends the queue and commits.</summary>
    public async Task CommitAsync(CancellationToken ct)
    {
        await FlushAsync(ct);
        try
        {
            // Not cancellable: a COMMIT abandoned half way (the client went away) leaves its outcome
            // unknown, which no caller can act on; once sent, it runs to its answer.
            await _transaction.CommitAsync(CancellationToken.None);
        }
        catch (Exception ex) when (PostgresFaults.AsUnavailable(ex) is { } lost)
        {
            // COMMIT was sent but its answer never came: the server may have committed. Say so, so
            // nothing treats this write as surely not applied (an Idempotency-Key keeps its claim).
            throw StoreUnavailableException.DuringCommit(lost.Reason + " while committing", ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Rolls back when not committed.
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }

    private NpgsqlParameterCollection Enqueue(string sql, bool returnsRows, int? expectedRows, Func<Exception>? duplicate)
    {
        var command = new NpgsqlBatchCommand(sql);
        _queue.Add(new Queued(command, returnsRows, expectedRows, duplicate));
        return command.Parameters;
    }

    private NpgsqlBatch TakeBatch(NpgsqlBatchCommand? last, out List<Queued> queued)
    {
        var batch = new NpgsqlBatch(_connection, _transaction);
        foreach (var q in _queue)
        {
            batch.BatchCommands.Add(q.Command);
        }
        if (last is not null)
        {
            batch.BatchCommands.Add(last);
        }
        queued = [.. _queue];
        _queue.Clear();
        return batch;
    }

    private static void Check(List<Queued> queued)
    {
        foreach (var q in queued)
        {
            if (q.ExpectedRows is { } expected && q.Command.RecordsAffected != expected)
            {
                throw new InvalidOperationException(
                    $"A statement affected {q.Command.RecordsAffected} rows instead of {expected}: {q.Command.CommandText}");
            }
        }
    }

    /// <summary>
    /// The domain answer of the queued INSERT the server refused as a duplicate, if it has one. The
    /// failed statement is the first one without a completion (Npgsql sets a statement's type when
    /// its CommandComplete arrives; the batch stops at the error), since Npgsql 10 leaves
    /// <c>PostgresException.BatchCommand</c> unset here.
    /// </summary>
    private static Exception? Duplicate(PostgresException ex, List<Queued> queued) =>
        ex.SqlState == PostgresErrorCodes.UniqueViolation
        && queued.Find(q => q.Command.StatementType == StatementType.Unknown) is { Duplicate: { } answer }
            ? answer()
            : null;

    private sealed record Queued(NpgsqlBatchCommand Command, bool ReturnsRows, int? ExpectedRows, Func<Exception>? Duplicate);
}
