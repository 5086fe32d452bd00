using System.Text.Json;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Jobs;

/// <summary><c>GET /api/v1/runs</c>: the live <c>runs</c> filter as query parameters, on both engines.</summary>
public sealed class RunListApiTests
{
    private static readonly DateTimeOffset Start = new(2026, 4, 2, 9, 0, 0, TimeSpan.Zero);

    private static async Task<string[]> IdsAsync(HttpClient http, string query) =>
        [.. (await (await http.GetAsync("/api/v1/runs" + query)).ExpectAsync(200)).GetProperty("data").EnumerateArray().Select(r => r.GetProperty("id").GetString()!)];

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Runs_are_listed_newest_change_first_and_filtered(Engine engine)
    {
        var time = new ManualTime(Start);
        await using var host = await TestHost.StartAsync(engine, time: time);
        var http = host.Client(TestHost.WriteKey);
        await (await http.PostJsonAsync("/api/v1/runs", """{"runs":[{"id":"a","type":"mail","queue":"q1"},{"id":"b","type":"resize","queue":"q2"}]}""")).ExpectAsync(201);
        time.Advance(TimeSpan.FromSeconds(1));
        await (await http.PostJsonAsync("/api/v1/runs", """{"runs":[{"id":"c","type":"mail","queue":"q1"}]}""")).ExpectAsync(201);
        time.Advance(TimeSpan.FromSeconds(1));
        var claimed = await (await http.PostJsonAsync("/api/v1/workers/claim", """{"workerId":"w","queues":["q2"]}""")).ExpectAsync(200);
        Assert.Equal("b", claimed.GetProperty("runs")[0].GetProperty("id").GetString());

        var reader = host.Client(TestHost.ReadKey);
        var page = await (await reader.GetAsync("/api/v1/runs")).ExpectAsync(200);
        Assert.Equal(JsonValueKind.Null, page.GetProperty("next").ValueKind);
        var first = page.GetProperty("data")[0];
        Assert.Equal(("b", "running", "in-progress", "2026-04-02T09:00:02.000Z"), (first.GetProperty("id").GetString(),
            first.GetProperty("state").GetString(), first.GetProperty("status").GetString(), first.GetProperty("updatedAt").GetString()));
        Assert.Equal(["b", "c", "a"], await IdsAsync(reader, ""));
        Assert.Equal(["c", "a"], await IdsAsync(reader, "?type=mail&queue=q1&state=pending"));
        Assert.Equal(["b"], await IdsAsync(reader, "?status=in-progress,success"));
        Assert.Equal(["c"], await IdsAsync(reader, "?createdAfter=2026-04-02T09:00:00.000Z&createdBefore=2026-04-02T09:00:02Z"));
        Assert.Equal(["b"], await IdsAsync(reader, "?limit=1"));
        Assert.Empty(await IdsAsync(reader, "?jobId=none"));
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Bad_parameters_are_400_naming_each_one(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var http = host.Client(TestHost.ReadKey);
        var problem = await (await http.GetAsync("/api/v1/runs?status=pending,done&state=&createdAfter=yesterday&limit=201&type=" + new string('t', 201))).ExpectAsync(400);
        var errors = problem.GetProperty("errors");
        Assert.Equal(["status", "state", "type", "createdAfter", "limit"], errors.EnumerateObject().Select(p => p.Name));
        Assert.Equal("status holds 'done', which is not a status (pending, in-progress, success, failed, canceled)", errors.GetProperty("status")[0].GetString());
        Assert.Equal("must be 1 to 200", errors.GetProperty("limit")[0].GetString());
        Assert.Equal(401, (int)(await host.Client(null).GetAsync("/api/v1/runs")).StatusCode);
    }
}
