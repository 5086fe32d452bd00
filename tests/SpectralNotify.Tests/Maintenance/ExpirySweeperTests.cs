using Microsoft.Extensions.Time.Testing;
using SpectralNotify.Health;
using SpectralNotify.Lists;
using SpectralNotify.Storage;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Maintenance;

/// <summary>The expiry sweep's passes, driven by a clock the test moves: ended sessions and deletion tombstones go after their retention.</summary>
public sealed class ExpirySweeperTests
{
    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Sessions_are_deleted_one_retention_after_they_ended_and_open_ones_stay(Engine engine)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        await using var host = await TestHost.StartAsync(engine, new Dictionary<string, string?>
        {
            ["Spectral:SessionRetention"] = "01:00:00",
            ["Spectral:SweepInterval"] = "00:01:00",
        }, time: time);
        var sweep = host.Services.GetRequiredService<HealthRegistry>().Component("expiry-sweep");
        var admin = host.Client();
        async Task<string[]> Sessions(bool active) =>
            [.. (await (await admin.GetAsync($"/api/v1/sessions?active={(active ? "true" : "false")}")).ExpectAsync(200))
                .GetProperty("data").EnumerateArray().Select(s => s.GetProperty("entityId").GetString()!)];
        async Task PassAfter(TimeSpan by)
        {
            var pass = sweep.NextPass;
            time.Advance(by);
            await pass.WaitAsync(TimeSpan.FromSeconds(30));
        }

        await Eventually.TrueAsync(() => Task.FromResult(sweep.LastSuccess is not null), "the sweep ran its first pass at start");
        var ended = await host.ConnectAsync("/ws/task/ended");
        await Eventually.TrueAsync(async () => (await Sessions(true)).Length == 1, "the first session is recorded");
        await ended.DisposeAsync();
        await Eventually.TrueAsync(async () => (await Sessions(false)).SequenceEqual(["ended"]), "the first session ended");
        await using var open = await host.ConnectAsync("/ws/task/open");
        await Eventually.TrueAsync(async () => (await Sessions(true)).SequenceEqual(["open"]), "the second session is open");

        await PassAfter(TimeSpan.FromMinutes(59));
        Assert.Equal(["ended"], await Sessions(false));

        await PassAfter(TimeSpan.FromMinutes(2));
        Assert.Empty(await Sessions(false));
        Assert.Equal(["open"], await Sessions(true));
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Deletion_tombstones_are_pruned_one_live_list_history_after_the_delete(Engine engine)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        await using var host = await TestHost.StartAsync(engine, new Dictionary<string, string?>
        {
            ["Spectral:LiveListHistory"] = "01:00:00",
            ["Spectral:SweepInterval"] = "00:01:00",
        }, time: time);
        var sweep = host.Services.GetRequiredService<HealthRegistry>().Component("expiry-sweep");
        var store = host.Services.GetRequiredService<IStore>();
        var admin = host.Client();
        async Task<string[]> Tombstones() =>
            [.. (await store.DeletionsSinceAsync(Deletion.Task, DateTimeOffset.MinValue, 10, default)).Select(d => d.Id)];
        async Task PassAfter(TimeSpan by)
        {
            var pass = sweep.NextPass;
            time.Advance(by);
            await pass.WaitAsync(TimeSpan.FromSeconds(30));
        }

        await Eventually.TrueAsync(() => Task.FromResult(sweep.LastSuccess is not null), "the sweep ran its first pass at start");
        await (await admin.PostJsonAsync("/api/v1/tasks", """{"id":"gone"}""")).ExpectAsync(201);
        Assert.Equal(204, (int)(await admin.DeleteAsync("/api/v1/tasks/gone")).StatusCode);
        Assert.Equal(["gone"], await Tombstones());

        await PassAfter(TimeSpan.FromMinutes(59));
        Assert.Equal(["gone"], await Tombstones());
        await PassAfter(TimeSpan.FromMinutes(2));
        Assert.Empty(await Tombstones());
    }
}
