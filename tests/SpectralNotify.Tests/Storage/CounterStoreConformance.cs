using SpectralNotify.Counters;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Storage;

/// <summary>Counters in the store, on every engine.</summary>
public abstract class CounterStoreConformance
{
    protected abstract Engine Engine { get; }

    [Fact]
    public async Task Operations_write_history_with_consecutive_seq()
    {
        await using var db = await TestDatabase.CreateAsync(Engine);
        var time = new ManualTime(new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.Zero));
        await using var store = await db.CreateStoreAsync(time);

        var created = await store.CounterCreateAsync("visits", 10, "admin", default);
        Assert.Equal((10L, 0L, 1L, "admin"), (created.Counter.Value, created.Counter.OperationCount, created.Counter.LastSeq, created.Counter.CreatedBy));
        await Assert.ThrowsAsync<CounterAlreadyExistsException>(() => store.CounterCreateAsync("visits", 0, null, default));

        time.Advance(TimeSpan.FromSeconds(1));
        await store.CounterApplyAsync("visits", CounterOperation.IncrementBy(5), default);
        await store.CounterApplyAsync("visits", CounterOperation.DecrementBy(20), default);
        await store.CounterApplyAsync("visits", CounterOperation.SetTo(42), default);
        var reset = await store.CounterApplyAsync("visits", CounterOperation.ResetToZero(), default);
        Assert.Equal((0L, 4L, 5L, time.GetUtcNow()), (reset.Counter.Value, reset.Counter.OperationCount, reset.Counter.LastSeq, reset.Counter.UpdatedAt));
        Assert.Equal(reset.Counter, await store.CounterGetAsync("visits", default));

        var history = await store.CounterHistoryListAsync("visits", 0, 100, default);
        Assert.Equal(
            [(1L, "create", 0L, 10L), (2L, "increment", 10L, 15L), (3L, "decrement", 15L, -5L), (4L, "set", -5L, 42L), (5L, "reset", 42L, 0L)],
            history.Select(h => (h.Seq, h.Operation, h.PreviousValue, h.NewValue)));
        Assert.Equal([4L, 5L], (await store.CounterHistoryListAsync("visits", 3, 10, default)).Select(h => h.Seq));

        await store.CounterApplyAsync("visits", CounterOperation.SetTo(long.MaxValue), default);
        await Assert.ThrowsAsync<CounterOverflowException>(() => store.CounterApplyAsync("visits", CounterOperation.IncrementBy(1), default));
        Assert.Equal(6, (await store.CounterGetAsync("visits", default))!.LastSeq);
        await Assert.ThrowsAsync<CounterNotFoundException>(() => store.CounterApplyAsync("nope", CounterOperation.IncrementBy(1), default));

        await store.CounterCreateAsync("a-first", 0, null, default);
        Assert.Equal(["a-first", "visits"], (await store.CounterListAsync(default)).Select(c => c.Name));
        Assert.True(await store.CounterDeleteAsync("visits", default));
        Assert.False(await store.CounterDeleteAsync("visits", default));
        Assert.Empty(await store.CounterHistoryListAsync("visits", 0, 10, default));
        Assert.Equal(1, (await store.CounterCreateAsync("visits", 0, null, default)).Entry.Seq);
    }

    [Fact]
    public async Task In_a_burst_an_overflowing_increment_fails_alone()
    {
        await using var db = await TestDatabase.CreateAsync(Engine);
        await using var store = await db.CreateStoreAsync();
        await store.CounterCreateAsync("edge", long.MaxValue - 5, null, default);
        var attempts = Enumerable.Range(0, 10).Select(_ => store.CounterApplyAsync("edge", CounterOperation.IncrementBy(1), default)).ToList();
        try
        {
            await Task.WhenAll(attempts);
        }
        catch (CounterOverflowException)
        {
        }
        Assert.Equal(5, attempts.Count(t => t.IsCompletedSuccessfully));
        Assert.Equal(5, attempts.Count(t => t.Exception?.InnerException is CounterOverflowException));
        var counter = await store.CounterGetAsync("edge", default);
        Assert.Equal((long.MaxValue, 6L), (counter!.Value, counter.LastSeq));
        Assert.Equal([2L, 3L, 4L, 5L, 6L], (await store.CounterHistoryListAsync("edge", 1, 100, default)).Select(h => h.Seq));
    }

    [Fact]
    public async Task Concurrent_increments_are_all_counted_in_order()
    {
        await using var db = await TestDatabase.CreateAsync(Engine);
        await using var store = await db.CreateStoreAsync();
        await store.CounterCreateAsync("hot", 0, null, default);
        await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => store.CounterApplyAsync("hot", CounterOperation.IncrementBy(1), default)));
        var counter = await store.CounterGetAsync("hot", default);
        Assert.Equal((200L, 200L, 201L), (counter!.Value, counter.OperationCount, counter.LastSeq));
        var history = await store.CounterHistoryListAsync("hot", 1, 500, default);
        Assert.Equal(Enumerable.Range(2, 200).Select(i => (long)i), history.Select(h => h.Seq));
        Assert.All(history, h => Assert.Equal(h.PreviousValue + 1, h.NewValue));
    }
}

public sealed class SqliteCounterStoreTests : CounterStoreConformance
{
    protected override Engine Engine => Engine.Sqlite;
}

public sealed class PostgresCounterStoreTests : CounterStoreConformance
{
    protected override Engine Engine => Engine.Postgres;
}
