using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace SpectralNotify.Sqlite;

/// <summary>
/// The single writer: one connection, one loop, group commit. Callers enqueue work; the loop
/// drains up to <see cref="SqliteStoreOptions.MaxBatch"/> items, runs each inside its own SAVEPOINT
/// of one transaction, commits once (one fsync for the whole group), and only then completes the
/// callers. A failing item rolls back to its savepoint and fails alone.
/// </summary>
/// <remarks>
/// Invariant the rest of the engine relies on: SQLite serializes writers and this loop is the only
/// writer, so a read-modify-write inside a work item needs no further locking, and per-task
/// <c>seq</c> values commit in increasing order.
/// </remarks>
internal sealed class SqliteWriter : IAsyncDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Channel<WorkItem> _queue;
    private readonly int _maxBatch;
    private readonly Task _loop;
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public SqliteWriter(SqliteConnection connection, SqliteStoreOptions options)
    {
        _connection = connection;
        _maxBatch = Math.Max(1, options.MaxBatch);
        _queue = Channel.CreateBounded<WorkItem>(new BoundedChannelOptions(options.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Number of transactions committed; with <see cref="ItemsCommitted"/> it shows the batching factor.</summary>
    public long Commits;
    public long ItemsCommitted;

    public async Task<T> RunAsync<T>(Func<WriteContext, T> work, CancellationToken ct)
    {
        var item = new WorkItem<T>(work);
        await _queue.Writer.WriteAsync(item, ct);
        return await item.Completion.Task;
    }

    private async Task RunAsync()
    {
        var batch = new List<WorkItem>(_maxBatch);
        var context = new WriteContext(_connection, _commands);
        using var begin = Command("BEGIN IMMEDIATE");
        using var commit = Command("COMMIT");
        using var rollback = Command("ROLLBACK");
        using var savepoint = Command("SAVEPOINT item");
        using var release = Command("RELEASE item");
        using var rollbackTo = Command("ROLLBACK TO item");
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            begin.ExecuteNonQuery();
            var succeeded = new List<WorkItem>(_maxBatch);
            try
            {
                while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var item))
                {
                    batch.Add(item);
                    savepoint.ExecuteNonQuery();
                    try
                    {
                        item.Run(context);
                        release.ExecuteNonQuery();
                        succeeded.Add(item);
                    }
                    catch (Exception ex) when (ex is not OutOfMemoryException)
                    {
                        rollbackTo.ExecuteNonQuery();
                        release.ExecuteNonQuery();
                        item.Fail(ex);
                    }
                }
                commit.ExecuteNonQuery();
                Interlocked.Increment(ref Commits);
                Interlocked.Add(ref ItemsCommitted, succeeded.Count);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                try { rollback.ExecuteNonQuery(); } catch (SqliteException) { }
                foreach (var item in succeeded)
                {
                    item.Fail(ex);
                }
                continue;
            }
            foreach (var item in succeeded)
            {
                item.Complete();
            }
        }
    }

    private SqliteCommand Command(string sql)
    {
        var c = _connection.CreateCommand();
        c.CommandText = sql;
        return c;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
        foreach (var c in _commands.Values)
        {
            c.Dispose();
        }
        await _connection.DisposeAsync();
    }

    private abstract class WorkItem
    {
        public abstract void Run(WriteContext context);
        public abstract void Complete();
        public abstract void Fail(Exception ex);
    }

    private sealed class WorkItem<T>(Func<WriteContext, T> work) : WorkItem
    {
        private T _result = default!;
        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public override void Run(WriteContext context) => _result = work(context);
        public override void Complete() => Completion.TrySetResult(_result);
        public override void Fail(Exception ex) => Completion.TrySetException(ex);
    }
}

/// <summary>What a work item sees: the writer connection and its cached, prepared commands.</summary>
internal sealed class WriteContext(SqliteConnection connection, Dictionary<string, SqliteCommand> commands)
{
    public SqliteConnection Connection => connection;

    /// <summary>A cached command for <paramref name="sql"/> with its parameters cleared.</summary>
    public SqliteCommand Command(string sql)
    {
        if (!commands.TryGetValue(sql, out var cmd))
        {
            cmd = connection.CreateCommand();
            cmd.CommandText = sql;
            commands[sql] = cmd;
        }
        cmd.Parameters.Clear();
        return cmd;
    }
}
