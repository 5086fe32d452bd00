using SpectralNotify.Configuration;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Storage;

/// <summary>Configuration entries in the store, on every engine.</summary>
public abstract class ConfigStoreConformance
{
    protected abstract Engine Engine { get; }

    [Fact]
    public async Task Put_creates_then_replaces_keeping_createdAt_and_bumping_version()
    {
        await using var db = await TestDatabase.CreateAsync(Engine);
        var time = new ManualTime(new DateTimeOffset(2026, 5, 1, 8, 0, 0, TimeSpan.Zero));
        await using var store = await db.CreateStoreAsync(time);

        var (first, created) = await store.ConfigPutAsync(new ConfigEntry { Key = "b.limit", Type = "integer", Value = "5", UpdatedBy = "admin" }, default);
        Assert.True(created);
        Assert.Equal((1L, time.GetUtcNow(), time.GetUtcNow()), (first.Version, first.CreatedAt, first.UpdatedAt));

        time.Advance(TimeSpan.FromMinutes(1));
        var (second, createdAgain) = await store.ConfigPutAsync(new ConfigEntry
        {
            Key = "b.limit", Type = "string", Value = "\"five\"", Description = "d", IsSecret = true, UpdatedBy = "ops",
        }, default);
        Assert.False(createdAgain);
        Assert.Equal((2L, first.CreatedAt, time.GetUtcNow(), "\"five\"", "string", true, "ops", "d"),
            (second.Version, second.CreatedAt, second.UpdatedAt, second.Value, second.Type, second.IsSecret, second.UpdatedBy, second.Description));
        Assert.Equal(second, await store.ConfigGetAsync("b.limit", default));

        await store.ConfigPutAsync(new ConfigEntry { Key = "a.flag", Type = "boolean", Value = "true" }, default);
        Assert.Equal(["a.flag", "b.limit"], (await store.ConfigListAsync(default)).Select(e => e.Key));

        Assert.True(await store.ConfigDeleteAsync("a.flag", default));
        Assert.False(await store.ConfigDeleteAsync("a.flag", default));
        Assert.Null(await store.ConfigGetAsync("a.flag", default));
    }
}

public sealed class SqliteConfigStoreTests : ConfigStoreConformance
{
    protected override Engine Engine => Engine.Sqlite;
}

public sealed class PostgresConfigStoreTests : ConfigStoreConformance
{
    protected override Engine Engine => Engine.Postgres;
}
