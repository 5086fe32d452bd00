using System.Text.Json;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Live;

/// <summary><c>/ws/counter/{name}</c>: the reference counter messages plus seq, with resume and snapshot.</summary>
public sealed class CounterLiveTests
{
    private static long Seq(JsonElement m) => m.GetProperty("seq").GetInt64();

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Counter_operations_arrive_in_order_in_reference_shapes(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var http = host.Client();
        await using var ws = await host.ConnectAsync("/ws/counter/clicks");
        await (await http.PostJsonAsync("/api/v1/counters", """{"name":"clicks"}""")).ExpectAsync(201);
        await (await http.PostJsonAsync("/api/v1/counters/clicks/increment", """{"amount":5}""")).ExpectAsync(200);
        await (await http.PostJsonAsync("/api/v1/counters/clicks/decrement", "{}")).ExpectAsync(200);
        await (await http.PostJsonAsync("/api/v1/counters/clicks/set", """{"value":40}""")).ExpectAsync(200);
        await (await http.PostJsonAsync("/api/v1/counters/clicks/reset", "{}")).ExpectAsync(200);

        var messages = await ws.ReceiveThroughSeqAsync(5);
        Assert.Equal(["created", "increment", "decrement", "setValue", "setValue"], messages.Select(m => m.GetProperty("type").GetString()));
        Assert.Equal([1L, 2L, 3L, 4L, 5L], messages.Select(Seq));
        var inc = messages[1];
        Assert.Equal(["type", "value", "previousValue", "metadata", "timestamp", "seq"], inc.EnumerateObject().Select(p => p.Name));
        Assert.Equal((5, 0), (inc.GetProperty("value").GetInt32(), inc.GetProperty("previousValue").GetInt32()));
        var meta = inc.GetProperty("metadata");
        Assert.Equal(["id", "name", "value", "createdAt", "updatedAt", "operationCount"], meta.EnumerateObject().Select(p => p.Name));
        Assert.Equal((1, "clicks", 5, 1), (meta.GetProperty("id").GetInt32(), meta.GetProperty("name").GetString(),
            meta.GetProperty("value").GetInt32(), meta.GetProperty("operationCount").GetInt32()));
        Assert.Equal((0, 40), (messages[4].GetProperty("value").GetInt32(), messages[4].GetProperty("previousValue").GetInt32()));

        // Resume after seq 2 and start with a snapshot: replay 3..5, then live 6.
        await using var late = await host.ConnectAsync("/ws/counter/clicks?after=2&snapshot=true");
        var snapshot = await late.ReceiveJsonAsync();
        Assert.Equal(("snapshot", 5L, 0), (snapshot.GetProperty("type").GetString(), Seq(snapshot), snapshot.GetProperty("counter").GetProperty("value").GetInt32()));
        await (await http.PostJsonAsync("/api/v1/counters/clicks/increment", "{}")).ExpectAsync(200);
        Assert.Equal([3L, 4L, 5L, 6L], (await late.ReceiveThroughSeqAsync(6)).Select(Seq));

        (await http.DeleteAsync("/api/v1/counters/clicks")).EnsureSuccessStatusCode();
        var deleted = await late.ReceiveJsonAsync();
        Assert.Equal(("deleted", "clicks"), (deleted.GetProperty("type").GetString(), deleted.GetProperty("counter").GetString()));
    }
}
