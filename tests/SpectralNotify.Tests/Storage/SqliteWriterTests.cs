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
        Assert.Null(writer.Problem);
        var events = await store.TaskEventListAsync("t", 0, 10, default);
        Assert.DoesNotContain(events, e => e.Message == "while locked");
    }
}
