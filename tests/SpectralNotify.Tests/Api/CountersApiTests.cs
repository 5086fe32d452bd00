using System.Net;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Api;

/// <summary><c>/api/v1/counters</c> over HTTP.</summary>
public sealed class CountersApiTests
{
    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Counter_lifecycle_over_http(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var w = host.Client(TestHost.WriteKey);
        var created = await (await w.PostJsonAsync("/api/v1/counters", """{"name":"jobs_done","value":3}""")).ExpectAsync(201);
        Assert.Equal((3, "writer", 1), (created.GetProperty("value").GetInt32(), created.GetProperty("createdBy").GetString(), created.GetProperty("lastSeq").GetInt32()));
        await (await w.PostJsonAsync("/api/v1/counters", """{"name":"jobs_done"}""")).ExpectAsync(409);

        Assert.Equal(4, (await (await w.PostJsonAsync("/api/v1/counters/jobs_done/increment", "")).ExpectAsync(200)).GetProperty("value").GetInt32());
        Assert.Equal(14, (await (await w.PostJsonAsync("/api/v1/counters/jobs_done/increment", """{"amount":10}""")).ExpectAsync(200)).GetProperty("value").GetInt32());
        Assert.Equal(12, (await (await w.PostJsonAsync("/api/v1/counters/jobs_done/decrement", """{"amount":2}""")).ExpectAsync(200)).GetProperty("value").GetInt32());
        Assert.Equal(-7, (await (await w.PostJsonAsync("/api/v1/counters/jobs_done/set", """{"value":-7}""")).ExpectAsync(200)).GetProperty("value").GetInt32());
        var reset = await (await w.PostJsonAsync("/api/v1/counters/jobs_done/reset", "{}")).ExpectAsync(200);
        Assert.Equal((0, 5, 6), (reset.GetProperty("value").GetInt32(), reset.GetProperty("operationCount").GetInt32(), reset.GetProperty("lastSeq").GetInt32()));

        var history = await (await host.Client(TestHost.ReadKey).GetAsync("/api/v1/counters/jobs_done/history?after=1&limit=2")).ExpectAsync(200);
        Assert.Equal(["increment", "increment"], history.GetProperty("data").EnumerateArray().Select(h => h.GetProperty("operation").GetString()));
        Assert.Equal("3", history.GetProperty("next").GetString());
        Assert.Equal(0, (await (await host.Client(TestHost.ReadKey).GetAsync("/api/v1/counters/jobs_done")).ExpectAsync(200)).GetProperty("value").GetInt32());

        Assert.Equal(HttpStatusCode.OK, (await w.GetAsync("/api/v1/counters")).StatusCode);
        var admin = host.Client();
        Assert.Single((await (await admin.GetAsync("/api/v1/counters")).ExpectAsync(200)).GetProperty("data").EnumerateArray());
        Assert.Equal(HttpStatusCode.Forbidden, (await w.DeleteAsync("/api/v1/counters/jobs_done")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/api/v1/counters/jobs_done")).StatusCode);
        await (await admin.GetAsync("/api/v1/counters/jobs_done")).ExpectAsync(404);
        await (await admin.GetAsync("/api/v1/counters/jobs_done/history")).ExpectAsync(404);
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Bad_counter_requests_are_4xx_and_change_nothing(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var w = host.Client();
        await (await w.PostJsonAsync("/api/v1/counters", """{"name":"c","value":9223372036854775807}""")).ExpectAsync(201);
        var cases = new (string Path, string Body, int Status, string Named)[]
        {
            ("/api/v1/counters", """{"name":"has space"}""", 400, "name"),
            ("/api/v1/counters", $$"""{"name":"{{new string('n', 101)}}"}""", 400, "name"),
            ("/api/v1/counters", """{}""", 400, "name"),
            ("/api/v1/counters", """{"name":"x","value":1.5}""", 400, "value"),
            ("/api/v1/counters/c/increment", """{"amount":0}""", 400, "amount"),
            ("/api/v1/counters/c/increment", """{"amount":"1"}""", 400, "amount"),
            ("/api/v1/counters/c/set", """{}""", 400, "value"),
            ("/api/v1/counters/c/increment", """{"amount":1}""", 409, "overflow"),
            ("/api/v1/counters/missing/increment", "{}", 404, "missing"),
        };
        foreach (var (path, body, status, named) in cases)
        {
            var r = await w.PostJsonAsync(path, body);
            var text = await r.Content.ReadAsStringAsync();
            Assert.True((int)r.StatusCode == status, $"{path} {body}: {(int)r.StatusCode} {text}");
            Assert.True(r.IsProblem(), text);
            Assert.Contains(named, text, StringComparison.Ordinal);
        }
        var c = await (await w.GetAsync("/api/v1/counters/c")).ExpectAsync(200);
        Assert.Equal((long.MaxValue, 1L), (c.GetProperty("value").GetInt64(), c.GetProperty("lastSeq").GetInt64()));
    }
}
