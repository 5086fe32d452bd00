using System.Text.Json;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Live;

/// <summary>Many concurrent writers to one entity: every subscriber still gets every seq once, in order.</summary>
public sealed class CombinedWritesLiveTests
{
    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Concurrent_counter_increments_reach_a_local_subscriber_without_gaps(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var http = host.Client();
        await (await http.PostJsonAsync("/api/v1/counters", """{"name":"hot"}""")).ExpectAsync(201);
        await using var ws = await host.ConnectAsync("/ws/counter/hot?after=1");
        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            using var c = host.Client();
            for (var i = 0; i < 50; i++)
            {
                await (await c.PostJsonAsync("/api/v1/counters/hot/increment", "{}")).ExpectAsync(200);
            }
        })));
        var messages = await ws.ReceiveThroughSeqAsync(801, TimeSpan.FromSeconds(30));
        Assert.Equal(Enumerable.Range(2, 800).Select(i => (long)i), messages.Select(m => m.GetProperty("seq").GetInt64()));
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Concurrent_task_events_reach_a_local_subscriber_without_gaps(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var http = host.Client();
        await http.CreateTaskAsync("hot");
        await using var ws = await host.ConnectAsync("/ws/task/hot");
        await Task.WhenAll(Enumerable.Range(0, 16).Select(w => Task.Run(async () =>
        {
            using var c = host.Client();
            for (var i = 0; i < 50; i++)
            {
                await (await c.PostJsonAsync("/api/v1/tasks/hot/events", $$"""{"type":"log","message":"{{w}}-{{i}}"}""")).ExpectAsync(201);
            }
        })));
        var messages = await ws.ReceiveThroughSeqAsync(801, TimeSpan.FromSeconds(30));
        var seqs = messages.Select(m => m.GetProperty("seq").GetInt64()).ToList();
        Assert.Equal(Enumerable.Range((int)seqs[0], 802 - (int)seqs[0]).Select(i => (long)i), seqs);
    }
}
