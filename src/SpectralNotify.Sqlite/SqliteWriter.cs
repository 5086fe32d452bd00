using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using SpectralNotify.Health;
using SpectralNotify.Storage;

namespace SpectralNotify.Sqlite;

/// <summary>
/// The single writer: one connection, one loop, group commit. Callers enqueue work; the loop
/// drains up to <see cref="SqliteStoreOptions.MaxBatch"/> items (for at most
/// <see cref="SqliteStoreOptions.MaxBatchTime"/>), runs each inside its own SAVEPOINT
/// of one transaction, commits once (one fsync for the whole group), and only then completes the
/// callers. A failing item rolls back to its savepoint and fails alone.
/// </summary>
/// <remarks>
/// <para>
/// Invariant the rest of the engine relies on: SQLite serializes writers and this loop is the only
/// writer, so a read-modify-write inside a work item needs no further locking, and per-task
/// <c>seq</c> values commit in increasing order.
/// </para>
/// <para>
/// Faults never stop the loop and never leave a caller waiting: a transaction that cannot begin
/// (another process holds the lock), an item that breaks the transaction (disk full, I/O error) or
/// a commit that fails is reported on <see cref="Health"/> and fails the callers concerned with
/// <see cref="StoreUnavailableException"/>; the loop backs off and tries again. A caller waits at
/// most <see cref="SqliteStoreOptions.WriteTimeout"/> for its item to be taken: an item still queued
/// then is abandoned (the writer skips it, so a 503 never hides a later commit). Once taken, an
/// item's transaction is already open and its outcome normally follows at once; a transaction that
/// stalls beyond another timeout answers 503 saying the outcome is unknown (so an Idempotency-Key
/// stays claimed), and the loop reports itself failing.
/// </para>
/// </remarks>
internal sealed class SqliteWriter : IAsyncDisposable
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(1);
    private readonly SqliteConnection _connection;
    private readonly Channel<WorkItem> _queue;
    private readonly int _maxBatch;
    private readonly TimeSpan _maxBatchTime;
    private readonly TimeSpan _writeTimeout;
    private readonly TimeProvider _time;
    private readonly Task _loop;
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public SqliteWriter(SqliteConnection connection, SqliteStoreOptions options, TimeProvider time)
    {
        _connection = connection;
        _time = time;
        _maxBatch = Math.Max(1, options.MaxBatch);
        _maxBatchTime = options.MaxBatchTime;
        _writeTimeout = options.WriteTimeout;
        _queue = Channel.CreateBounded<WorkItem>(new BoundedChannelOptions(options.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _loop = Task.Run(GuardedLoopAsync);
    }

    /// <summary>Number of transactions committed; with <see cref="ItemsCommitted"/> it shows the batching factor.</summary>
    public long Commits;
    public long ItemsCommitted;

    /// <summary>The loop's vital signs (<c>sqlite-writer</c>): failing while it cannot begin or commit.</summary>
    public ComponentHealth Health { get; } = new("sqlite-writer");

    /// <summary>Test signal: completes after the next commit (or failed transaction) of the loop.</summary>
    internal Task NextPass => Volatile.Read(ref _pass).Task;

    private TaskCompletionSource _pass = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <exception cref="StoreUnavailableException">The write could not be taken or committed within the write timeout.</exception>
    public async Task<T> RunAsync<T>(Func<WriteContext, T> work, CancellationToken ct)
    {
        var item = new WorkItem<T>(work);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_writeTimeout);
        try
        {
            await _queue.Writer.WriteAsync(item, timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw Unavailable($"the write queue stayed full for {_writeTimeout.TotalSeconds:0.#} s");
        }
        catch (ChannelClosedException)
        {
            throw Unavailable("the writer is not running");
        }
        try
        {
            return await item.Completion.Task.WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (item.TryAbandon())
        {
            // Still queued: the writer will skip it, so nothing of it is written.
            ct.ThrowIfCancellationRequested();
            throw Unavailable($"it was not written within {_writeTimeout.TotalSeconds:0.#} s");
        }
        catch (OperationCanceledException)
        {
            // Taken: its transaction is open and its outcome usually follows within a statement's
            // time. A stalled transaction (a hung fsync) still may not hold the caller without end:
            // after another timeout its outcome is reported as unknown (it may yet commit).
            try
            {
                return await item.Completion.Task.WaitAsync(_writeTimeout, _time, CancellationToken.None);
            }
            catch (TimeoutException)
            {
                var open = Volatile.Read(ref _transactionStarted) is var started && started != 0
                    ? _time.GetElapsedTime(started).TotalSeconds : 0;
                Health.Failed($"a transaction has been open for {open:0.#} s", _time.GetUtcNow());
                throw StoreUnavailableException.DuringCommit(
                    $"the write was taken but not committed within {2 * _writeTimeout.TotalSeconds:0.#} s", null);
            }
        }
    }

    private long _transactionStarted;
    private volatile bool _disposing;
    private readonly List<WorkItem> _batch = [];
    private bool _itemUnavailable;

    private StoreUnavailableException Unavailable(string what) =>
        new(Health.Problem is { } problem ? $"{what} ({problem})" : what);

    /// <summary>
    /// The loop handles every fault it knows; should anything else end it, the process says so
    /// (the component stops: <c>/readyz</c> 503, a critical log line) instead of leaving writes to hang.
    /// Callers are bounded by their timeout either way.
    /// </summary>
    private async Task GuardedLoopAsync()
    {
        try
        {
            await RunLoopAsync();
        }
        catch (Exception ex)
        {
            // Nobody may wait on a dead loop: the taken items' outcome is unknown (the failure may have
            // come after COMMIT), queued ones were never started, and new writes are refused at once.
            var unknown = StoreUnavailableException.DuringCommit($"the writer loop ended: {ex.GetType().Name}", ex);
            foreach (var item in _batch)
            {
                item.Fail(unknown);
            }
            _queue.Writer.TryComplete(ex);
            while (_queue.Reader.TryRead(out var queued))
            {
                queued.Fail(new StoreUnavailableException($"the writer loop ended: {ex.GetType().Name}", ex));
            }
            try
            {
                using var rollback = Command("ROLLBACK");
                rollback.ExecuteNonQuery();
            }
            catch (Exception rollbackFailure) when (rollbackFailure is not OutOfMemoryException)
            {
                // No transaction was open.
            }
            Health.Stop($"the writer loop ended: {ex.GetType().Name}: {ex.Message}", _time.GetUtcNow());
        }
    }

    private async Task RunLoopAsync()
    {
        var batch = _batch;
        var context = new WriteContext(_connection, _commands);
        using var begin = Command("BEGIN IMMEDIATE");
        using var commit = Command("COMMIT");
        using var rollback = Command("ROLLBACK");
        using var savepoint = Command("SAVEPOINT item");
        using var release = Command("RELEASE item");
        using var rollbackTo = Command("ROLLBACK TO item");
        // A held lock is waited for briefly per attempt; callers are bounded by their own timeout,
        // and a short attempt means writes resume within about a second once the lock is released.
        begin.CommandTimeout = 1;
        var backoff = TimeSpan.FromMilliseconds(50);
        while (await _queue.Reader.WaitToReadAsync())
        {
            try
            {
                begin.ExecuteNonQuery();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Health.Failed($"cannot begin a transaction: {SqliteFaults.Describe(ex)}", _time.GetUtcNow());
                SignalPass();
                if (_disposing)
                {
                    // Shutting down while the database is unusable: fail what is left instead of retrying forever.
                    while (_queue.Reader.TryRead(out var left))
                    {
                        left.Fail(new StoreUnavailableException("the server is shutting down", ex));
                    }
                    continue;
                }
                await Task.Delay(backoff, _time);
                backoff = Min(backoff * 2, MaxBackoff);
                continue;
            }
            var started = _time.GetTimestamp();
            Volatile.Write(ref _transactionStarted, started);
            batch.Clear();
            _itemUnavailable = false;
            var succeeded = new List<WorkItem>(_maxBatch);
            Exception? broken = null;
            while (broken is null && batch.Count < _maxBatch && (batch.Count == 0 || _time.GetElapsedTime(started) < _maxBatchTime)
                && _queue.Reader.TryRead(out var item))
            {
                if (!item.TryTake())
                {
                    continue; // its caller gave up waiting
                }
                batch.Add(item);
                broken = RunItem(item, context, savepoint, release, rollbackTo, succeeded);
            }
            if (broken is null)
            {
                try
                {
                    commit.ExecuteNonQuery();
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    broken = ex;
                }
            }
            if (broken is not null)
            {
                // The whole transaction is lost: SQLite may have rolled it back already (disk full, I/O error).
                TryExecute(rollback);
                var failure = new StoreUnavailableException(SqliteFaults.Describe(broken), broken);
                foreach (var item in succeeded)
                {
                    item.Fail(failure);
                }
                Volatile.Write(ref _transactionStarted, 0);
                batch.Clear();
                Health.Failed($"cannot commit: {SqliteFaults.Describe(broken)}", _time.GetUtcNow());
                SignalPass();
                await Task.Delay(backoff, _time);
                backoff = Min(backoff * 2, MaxBackoff);
                continue;
            }
            Volatile.Write(ref _transactionStarted, 0);
            Interlocked.Increment(ref Commits);
            Interlocked.Add(ref ItemsCommitted, succeeded.Count);
            // Callers first: nothing after COMMIT may keep an acknowledged write from being answered.
            foreach (var item in succeeded)
            {
                item.Complete();
            }
            batch.Clear();
            if (_itemUnavailable)
            {
                // A statement failed for a storage reason (read-only file, full disk): the commit of the
                // rest does not mean the database takes writes again.
                Health.Failed("a write failed: the database cannot take it (see the 503 it answered)", _time.GetUtcNow());
                SignalPass();
                await Task.Delay(backoff, _time);
                backoff = Min(backoff * 2, MaxBackoff);
                continue;
            }
            backoff = TimeSpan.FromMilliseconds(50);
            Health.Succeeded(_time.GetUtcNow());
            SignalPass();
        }
    }

    /// <summary>Runs one item in its savepoint. Returns the exception that broke the whole transaction, if any.</summary>
    private Exception? RunItem(WorkItem item, WriteContext context, SqliteCommand savepoint, SqliteCommand release,
        SqliteCommand rollbackTo, List<WorkItem> succeeded)
    {
        try
        {
            savepoint.ExecuteNonQuery();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            item.Fail(new StoreUnavailableException(SqliteFaults.Describe(ex), ex));
            return ex;
        }
        try
        {
            item.Run(context);
            release.ExecuteNonQuery();
            succeeded.Add(item);
            return null;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Storage faults become 503s; anything else (a domain refusal, a bug) is the item's own outcome.
            if (ex is SqliteException sqlite && SqliteFaults.IsUnavailable(sqlite))
            {
                _itemUnavailable = true;
                item.Fail(new StoreUnavailableException(SqliteFaults.Describe(sqlite), sqlite));
            }
            else
            {
                item.Fail(ex);
            }
            try
            {
                rollbackTo.ExecuteNonQuery();
                release.ExecuteNonQuery();
                return null;
            }
            catch (Exception rollbackFailure) when (rollbackFailure is not OutOfMemoryException)
            {
                return rollbackFailure; // the transaction is gone with the item's savepoint
            }
        }
    }

    private void SignalPass() => Interlocked.Exchange(ref _pass, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static void TryExecute(SqliteCommand command)
    {
        try
        {
            command.ExecuteNonQuery();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // No transaction left to roll back.
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
        _disposing = true;
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
        private const int Queued = 0, Taken = 1, Abandoned = 2;
        private int _state;

        /// <summary>The writer takes the item unless its caller gave up first.</summary>
        public bool TryTake() => Interlocked.CompareExchange(ref _state, Taken, Queued) == Queued;

        /// <summary>The caller gives up unless the writer took the item first.</summary>
        public bool TryAbandon() => Interlocked.CompareExchange(ref _state, Abandoned, Queued) == Queued;

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
