using Microsoft.Data.Sqlite;
using SpectralNotify.Server.Hosting;
using SpectralNotify.Sqlite;
using SpectralNotify.Storage;
using SpectralNotify.Tasks;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Storage;

/// <summary>The SQLite single writer: concurrent writes share commits, and one failure does not sink its neighbours.</summary>
public sealed class SqliteWriterTests
{
    [Fact]
    public async Task Concurrent_writes_are_group_committed_and_a_failing_one_fails_alone()
    {
        await using var db = await TestDatabase.CreateAsync(Engine.Sqlite);
        await using var store = (SqliteStore)await db.CreateStoreAsync();
        await store.TaskCreateAsync(new NewTask { Id = "t" }, default);
        var before = store.WriterStats;

        // 200 writes queued at once, one of them doomed (unknown task) in the middle.
        var writes = Enumerable.Range(0, 200).Select(i => i == 100
            ? store.TaskMutateAsync("missing", new ProgressMutation(1, null), default)
            : store.TaskMutateAsync("t", new AddEventMutation("log", $"m{i}", null, null), default)).ToList();
        var failed = await Assert.ThrowsAsync<TaskNotFoundException>(() => writes[100]);
        Assert.Equal("missing", failed.TaskId);
        var ok = await Task.WhenAll(writes.Where((_, i) => i != 100));
        Assert.Equal(Enumerable.Range(2, 199).Select(i => (long)i), ok.Select(c => c.Event.Seq).Order());

        var after = store.WriterStats;
        var commits = after.Commits - before.Commits;
        var items = after.Items - before.Items;
        Assert.Equal(199, items);
        Assert.True(commits < items, $"expected group commits, got {commits} commits for {items} writes");
    }

    [Theory]
    [InlineData(false, 64, 10_000)]
    [InlineData(true, 8, 500)]
    public async Task The_writer_gets_the_page_cache_and_checkpoint_it_is_configured_with_and_journals_in_memory(bool configured, int cacheMiB, int checkpointPages)
    {
        await using var db = await TestDatabase.CreateAsync(Engine.Sqlite);
        await using var store = (SqliteStore)(configured
            ? StorageSetup.CreateStore(db.Parsed, TimeProvider.System, "t", sqlite: new SqliteTuning(cacheMiB, checkpointPages))
            : StorageSetup.CreateStore(db.Parsed, TimeProvider.System, "t"));

        var (cache, checkpoint, tempStore) = await store.OnWriterAsync(
            w => (Pragma(w, "cache_size"), Pragma(w, "wal_autocheckpoint"), Pragma(w, "temp_store")), default);

        Assert.Equal(-1024L * cacheMiB, cache); // negative: KiB, not pages
        Assert.Equal(checkpointPages, checkpoint);
        Assert.Equal(2, tempStore); // MEMORY: savepoint journals never reach a temporary file
    }

    private static long Pragma(WriteContext w, string name)
    {
        using var cmd = w.Connection.CreateCommand();
        cmd.CommandText = $"PRAGMA {name}";
        return (long)cmd.ExecuteScalar()!;
    }

    [Fact]
    public async Task A_transaction_takes_no_more_requests_once_its_time_is_up()
    {
        await using var db = await TestDatabase.CreateAsync(Engine.Sqlite);
        await (await db.CreateStoreAsync()).DisposeAsync(); // migrated
        // No time at all: every transaction holds the one request it started with.
        await using var store = new SqliteStore(new SqliteStoreOptions { Path = db.Parsed.Value, MaxBatchTime = TimeSpan.Zero }, TimeProvider.System);
        await store.TaskCreateAsync(new NewTask { Id = "t" }, default);
        var before = store.WriterStats;

        var ok = await Task.WhenAll(Enumerable.Range(0, 100)
            .Select(i => store.TaskMutateAsync("t", new AddEventMutation("log", $"m{i}", null, null), default)));

        Assert.Equal(Enumerable.Range(2, 100).Select(i => (long)i), ok.Select(c => c.Event.Seq).Order());
        var after = store.WriterStats;
        Assert.Equal(100, after.Items - before.Items);
        Assert.Equal(100, after.Commits - before.Commits);
    }

    [Fact]
    public async Task A_held_lock_fails_writes_within_the_timeout_and_writes_resume_once_it_is_released()
    {
        await using var db = await TestDatabase.CreateAsync(Engine.Sqlite);
        await (await db.CreateStoreAsync()).DisposeAsync(); // migrated
        await using var store = (SqliteStore)StorageSetup.CreateStore(db.Parsed, TimeProvider.System, "t", writeTimeout: TimeSpan.FromMilliseconds(1500));
        await store.TaskCreateAsync(new NewTask { Id = "t" }, default);
        var writer = store.Components.Single();

        // Another connection (as another process would) holds the write lock.
        await using var other = new SqliteConnection($"Data Source={db.Parsed.Value};Pooling=False");
        other.Open();
        using (var begin = other.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE";
            begin.ExecuteNonQuery();
        }
        var refused = await Assert.ThrowsAsync<StoreUnavailableException>(() =>
            store.TaskMutateAsync("t", new AddEventMutation("log", "while locked", null, null), default));
        Assert.Contains("Nothing was written", refused.Message, StringComparison.Ordinal);
        while (writer.Problem is null)
        {
            await writer.NextPass.WaitAsync(TimeSpan.FromSeconds(30));
        }
        Assert.Contains("locked", writer.Problem, StringComparison.Ordinal);
        Assert.True(writer.Failures > 0);

        using (var rollback = other.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK";
            rollback.ExecuteNonQuery();
        }
        var change = await store.TaskMutateAsync("t", new AddEventMutation("log", "after release", null, null), default);
        Assert.Equal(2, change.Event.Seq); // the refused write left nothing behind
        // Callers are answered before the writer reports its pass, so the recovery may land just after.
        while (true)
        {
            var pass = writer.NextPass;
            if (writer.Problem is null)
            {
                break;
            }
            await pass.WaitAsync(TimeSpan.FromSeconds(30));
        }
        var events = await store.TaskEventListAsync("t", 0, 10, default);
        Assert.DoesNotContain(events, e => e.Message == "while locked");
    }

    [Fact]
    public async Task A_stalled_transaction_answers_outcome_unknown_and_a_write_behind_it_is_refused_unwritten()
    {
        await using var db = await TestDatabase.CreateAsync(Engine.Sqlite);
        var connection = new SqliteConnection($"Data Source={db.Parsed.Value};Pooling=False");
        connection.Open();
        // The table is made before the writer owns the connection: on a loaded machine a setup write
        // through the writer could itself miss the short timeout this test needs.
        using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE t (v TEXT)";
            create.ExecuteNonQuery();
        }
        // Long enough that the writes after the stall commit in time on a noisy machine; the stall
        // itself lasts until released, so the outcome does not depend on this figure.
        var options = new SqliteStoreOptions { WriteTimeout = TimeSpan.FromSeconds(1) };
        var writer = new SqliteWriter(connection, options, TimeProvider.System);
        using var stall = new ManualResetEventSlim();

        // The first write stalls inside its transaction (as a hung fsync would); the second waits behind it.
        var stalled = writer.RunAsync(w => { stall.Wait(TimeSpan.FromSeconds(30)); return Insert(w, "stalled"); }, default);
        var behind = writer.RunAsync(w => Insert(w, "behind"), default);

        var unknown = await Assert.ThrowsAsync<StoreUnavailableException>(() => stalled);
        Assert.True(unknown.OutcomeUnknown); // taken: it may still commit, and says so
        var refused = await Assert.ThrowsAsync<StoreUnavailableException>(() => behind);
        Assert.False(refused.OutcomeUnknown); // never taken: nothing of it will be written
        Assert.Contains("open for", writer.Health.Problem, StringComparison.Ordinal);

        stall.Set();
        Assert.Equal(1, await writer.RunAsync(w => Insert(w, "after"), default));
        var rows = await writer.RunAsync(w =>
        {
            using var c = w.Connection.CreateCommand();
            c.CommandText = "SELECT group_concat(v, ',') FROM (SELECT v FROM t ORDER BY rowid)";
            return (string)c.ExecuteScalar()!;
        }, default);
        Assert.Equal("stalled,after", rows); // the stalled one did commit in the end; the refused one never
        await writer.DisposeAsync();
    }

    [Fact]
    public async Task Stopping_while_another_process_holds_the_lock_fails_the_waiting_writes_instead_of_hanging()
    {
        await using var db = await TestDatabase.CreateAsync(Engine.Sqlite);
        var connection = new SqliteConnection($"Data Source={db.Parsed.Value};Pooling=False");
        connection.Open();
        var writer = new SqliteWriter(connection, new SqliteStoreOptions { WriteTimeout = TimeSpan.FromSeconds(30) }, TimeProvider.System);
        await using var other = new SqliteConnection($"Data Source={db.Parsed.Value};Pooling=False");
        other.Open();
        using var hold = other.CreateCommand();
        hold.CommandText = "BEGIN IMMEDIATE";
        hold.ExecuteNonQuery();

        var waiting = writer.RunAsync(w => 1, default);
        while (writer.Health.Problem is null)
        {
            await writer.Health.NextPass.WaitAsync(TimeSpan.FromSeconds(30)); // the writer has met the lock
        }
        await writer.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        var refused = await Assert.ThrowsAsync<StoreUnavailableException>(() => waiting);
        Assert.Contains("shutting down", refused.Message, StringComparison.Ordinal);
        hold.CommandText = "ROLLBACK";
        hold.ExecuteNonQuery();
    }

    private static int Insert(WriteContext w, string value)
    {
        using var c = w.Connection.CreateCommand();
        c.CommandText = "INSERT INTO t (v) VALUES ($v)";
        c.Parameters.AddWithValue("$v", value);
        return c.ExecuteNonQuery();
    }
}
