using SpectralNotify.Tests.Infrastructure;
using static SpectralNotify.Tests.Api.ApiAssert;

namespace SpectralNotify.Tests.Api;

/// <summary><c>GET /api/v1/stats</c>: the Overview's summary over HTTP, its window rule and who may read it.</summary>
public sealed class StatsApiTests
{
    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_read_key_gets_counts_a_series_and_the_live_sessions_of_this_node(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var admin = host.Client();
        await admin.CreateTaskAsync("a");
        await admin.CreateTaskAsync("b");
        await (await admin.PostJsonAsync($"{TasksPath}/b/fail", """{"error":"x"}""")).ExpectAsync(200);
        await (await admin.PostJsonAsync("/api/v1/runs", """{"runs":[{"type":"mail","queue":"mail"}]}""")).ExpectAsync(201);
        await using var watcher = await host.ConnectAsync("/ws/task/a");
        var read = host.Client(TestHost.ReadKey);

        var stats = default(System.Text.Json.JsonElement);
        // The session row is written as the socket opens, a moment after the upgrade answers.
        await Eventually.TrueAsync(async () =>
        {
            stats = await (await read.GetAsync("/api/v1/stats?window=30")).ExpectAsync(200);
            return stats.GetProperty("nodes").GetArrayLength() == 1;
        }, "the open WebSocket is counted as a live session");
        var tasks = stats.GetProperty("tasks");
        Assert.Equal((3, 2, 1), (tasks.GetProperty("total").GetInt32(), tasks.GetProperty("pending").GetInt32(), tasks.GetProperty("failed").GetInt32()));
        var series = stats.GetProperty("throughput");
        Assert.Equal((30, 60, 30), (series.GetProperty("windowMinutes").GetInt32(), series.GetProperty("bucketSeconds").GetInt32(), series.GetProperty("buckets").GetArrayLength()));
        Assert.Equal(1, series.GetProperty("failed").GetInt32());
        Assert.Equal(1.0, series.GetProperty("failureRate").GetDouble());
        var queue = Assert.Single(stats.GetProperty("queues").EnumerateArray());
        Assert.Equal(("mail", 1), (queue.GetProperty("queue").GetString(), queue.GetProperty("available").GetInt32()));
        Assert.True(queue.GetProperty("oldestAgeSeconds").GetInt64() >= 0);
        Assert.Equal(1, stats.GetProperty("nodes")[0].GetProperty("liveSessions").GetInt32());
        Assert.Equal(60, (await (await read.GetAsync("/api/v1/stats")).ExpectAsync(200)).GetProperty("throughput").GetProperty("windowMinutes").GetInt32());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1441")]
    [InlineData("-5")]
    [InlineData("1h")]
    public async Task A_window_outside_1_to_1440_minutes_is_a_400_naming_it(string window)
    {
        await using var host = await TestHost.StartAsync(Engine.Sqlite);
        await ProblemAsync(await host.Client(TestHost.ReadKey).GetAsync("/api/v1/stats?window=" + window), 400, "window");
        await ProblemAsync(await host.Client(null).GetAsync("/api/v1/stats"), 401);
    }
}
