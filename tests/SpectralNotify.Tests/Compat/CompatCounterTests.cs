using SpectralNotify.Tests.Infrastructure;
using static SpectralNotify.Tests.Compat.CompatTaskTests;

namespace SpectralNotify.Tests.Compat;

/// <summary><c>counter/*</c> on the compatible surface (admin key only), on both engines.</summary>
public sealed class CompatCounterTests
{
    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Counter_procedures_answer_in_the_reference_shapes(Engine engine)
    {
        var time = new ManualTime(T0);
        await using var host = await TestHost.StartAsync(engine, time: time);
        var http = host.Client();
        Assert.Equal(403, (int)(await host.Client(TestHost.ReadKey).PostJsonAsync("/counter/create", """{"name":"c1"}""")).StatusCode);
        Assert.Equal("""{"success":true,"name":"c1"}""", await TextAsync(await http.PostJsonAsync("/counter/create", """{"name":"c1"}"""), 200));
        Assert.Equal("""{"defined":false,"code":"CONFLICT","status":409,"message":"Counter 'c1' already exists."}""",
            await TextAsync(await http.PostJsonAsync("/counter/create", """{"name":"c1"}"""), 409));
        await using var ws = await host.ConnectAsync("/ws/counter/c1");

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("""{"name":"c1","value":1,"metadata":{"id":1,"name":"c1","value":1,"createdAt":"2025-10-28T12:00:00.000Z","updatedAt":"2025-10-28T12:00:01.000Z","operationCount":1},"latestHistory":[{"id":1,"operation":"increment(1)","previousValue":0,"newValue":1,"timestamp":"2025-10-28T12:00:01.000Z"}]}""",
            await TextAsync(await http.PostJsonAsync("/counter/increment", """{"name":"c1"}"""), 200));
        await http.PostJsonAsync("/counter/decrement", """{"name":"c1","amount":3}""");
        await http.PostJsonAsync("/counter/setValue", """{"name":"c1","value":10}""");
        var reset = await (await http.PostJsonAsync("/counter/reset", """{"name":"c1"}""")).ExpectAsync(200);
        Assert.Equal(0, reset.GetProperty("value").GetInt32());
        var history = await (await http.PostJsonAsync("/counter/getHistory", """{"name":"c1","limit":3}""")).ExpectAsync(200);
        Assert.Equal(["setValue(0)", "setValue(10)", "decrement(3)"], history.EnumerateArray().Select(h => h.GetProperty("operation").GetString()));
        Assert.Equal([4, 3, 2], history.EnumerateArray().Select(h => h.GetProperty("id").GetInt32()));
        Assert.Equal(["increment", "decrement", "setValue", "setValue"],
            new[] { await ws.ReceiveJsonAsync(), await ws.ReceiveJsonAsync(), await ws.ReceiveJsonAsync(), await ws.ReceiveJsonAsync() }
                .Select(m => m.GetProperty("type").GetString()));

        Assert.Equal("""{"name":"zz","value":0}""", await TextAsync(await http.PostJsonAsync("/counter/getValue", """{"name":"zz"}"""), 200));
        Assert.Equal("""{"defined":true,"code":"COUNTER_NOT_FOUND","status":404,"message":"The requested counter does not exist","data":{"name":"zz"}}""",
            await TextAsync(await http.PostJsonAsync("/counter/getMetadata", """{"name":"zz"}"""), 404));
        Assert.Equal(404, (int)(await http.PostJsonAsync("/counter/increment", """{"name":"zz"}""")).StatusCode);
        Assert.Equal("""{"defined":false,"code":"BAD_REQUEST","status":400,"message":"Input validation failed","data":{"issues":[{"origin":"number","code":"too_small","minimum":0,"inclusive":false,"path":["amount"],"message":"Too small: expected number to be >0"}]}}""",
            await TextAsync(await http.PostJsonAsync("/counter/increment", """{"name":"c1","amount":0}"""), 400));
        Assert.Equal("""[{"origin":"string","code":"invalid_format","format":"regex","pattern":"/^[\\w-]+$/","path":["name"],"message":"Invalid string: must match pattern /^[\\w-]+$/"}]""",
            (await (await http.PostJsonAsync("/counter/create", """{"name":"a b"}""")).ExpectAsync(400)).GetProperty("data").GetProperty("issues").GetRawText());
        await http.PostJsonAsync("/counter/setValue", """{"name":"c1","value":9223372036854775807}""");
        Assert.Equal(400, (int)(await http.PostJsonAsync("/counter/setValue", """{"name":"c1","value":1.5}""")).StatusCode);

        var list = await (await http.PostJsonAsync("/counter/listAll", "")).ExpectAsync(200);
        Assert.Equal((1, "c1", "admin"), (list.GetProperty("count").GetInt32(), list.GetProperty("counters")[0].GetProperty("name").GetString(),
            list.GetProperty("counters")[0].GetProperty("createdBy").GetString()));
        Assert.Equal("""{"success":true,"name":"c1"}""", await TextAsync(await http.PostJsonAsync("/counter/delete", """{"name":"c1"}"""), 200));
    }
}
