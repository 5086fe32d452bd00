using System.Net.Http.Headers;
using SpectralNotify.Tests.Infrastructure;
using static SpectralNotify.Tests.Api.ApiAssert;

namespace SpectralNotify.Tests.Api;

/// <summary>
/// The 500s of the reliability audit (findings 9, 10, 25) as directed cases, on both engines; the
/// fuzz (<c>Fuzz/RequestFuzzTests.cs</c>) looks for more of their kind.
/// </summary>
public sealed class No500Tests
{
    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string path, string? json = null, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = json is null ? null : HttpJson.Body(json) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        return client.SendAsync(request);
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Unreadable_text_in_a_v1_body_is_a_400_naming_the_field(Engine engine)
    {
        Engines.Require(engine);
        await using var host = await TestHost.StartAsync(engine);
        var client = host.Client();
        await ProblemAsync(await client.PostJsonAsync(TasksPath, """{"id":"u1","metadata":{"\ud800":1}}"""), 400, "metadata");
        await ProblemAsync(await client.PostJsonAsync(TasksPath, """{"id":"u1","config":{"a":["\udc00"]}}"""), 400, "config", "$.a[0]");
        await ProblemAsync(await client.PostJsonAsync("/api/v1/jobs", """{"type":"t","schedule":{"cron":"\ud800"}}"""), 400, "schedule");
        await ProblemAsync(await client.PostJsonAsync("/api/v1/jobs", """{"type":"t","schedule":{"cron":"0 0 * * *","timezone":"a\u0000b"}}"""), 400, "schedule.timezone", "NUL");
        await (await client.PostJsonAsync("/api/v1/jobs", """{"id":"j1","type":"t"}""")).ExpectAsync(201);
        client.DefaultRequestHeaders.IfMatch.Add(new EntityTagHeaderValue("\"1\""));
        await ProblemAsync(await SendAsync(client, "PATCH", "/api/v1/jobs/j1", """{"uniqueKey":"\ud800"}"""), 400, "uniqueKey");
        await ProblemAsync(await SendAsync(client, "PATCH", "/api/v1/jobs/j1", """{"uniqueKey":"a\u0000"}"""), 400, "uniqueKey", "NUL");
        client.DefaultRequestHeaders.IfMatch.Clear();
        await ProblemAsync(await client.PostJsonAsync("/api/v1/runs", """{"runs":[null]}"""), 400, "runs[0]");
        await AssertMissingAsync(client, "u1");
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Unreadable_text_in_a_compat_body_is_a_400_with_the_input_path(Engine engine)
    {
        Engines.Require(engine);
        await using var host = await TestHost.StartAsync(engine);
        var anonymous = host.Client(null);
        // The audit's anonymous examples: they flooded the error log with stack traces.
        var rest = await (await anonymous.PostJsonAsync("/tasks/getHistory", """{"\ud800":1}""")).ExpectAsync(400);
        Assert.Equal("BAD_REQUEST", rest.GetProperty("code").GetString());
        var rpc = await (await anonymous.PostJsonAsync("/rpc/workflows/getAll", """{"json":{"tags":["a","\udc00"]}}""")).ExpectAsync(400);
        Assert.Equal("""["tags",1]""", rpc.GetProperty("json").GetProperty("data").GetProperty("issues")[0].GetProperty("path").GetRawText());
        var create = await (await host.Client().PostJsonAsync("/tasks/create", """{"id":"c1","status":"pending","metadata":{"tags":["\ud800"]}}""", "k1")).ExpectAsync(400);
        Assert.Contains("Unicode", create.GetProperty("data").GetProperty("issues")[0].GetProperty("message").GetString());
        await AssertMissingAsync(host.Client(), "c1");
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Route_ids_and_query_values_with_nul_are_a_400_on_every_engine(Engine engine)
    {
        Engines.Require(engine);
        await using var host = await TestHost.StartAsync(engine);
        var client = host.Client();
        // Kestrel itself refuses a NUL in the path (400 before any endpoint); other control characters reach the route check.
        Assert.Equal(400, (int)(await client.GetAsync($"{TasksPath}/a%00b")).StatusCode);
        await ProblemAsync(await client.GetAsync($"{TasksPath}/a%01b"), 400, "id");
        await ProblemAsync(await client.GetAsync($"{TasksPath}/a%01b/events"), 400, "id");
        await ProblemAsync(await client.GetAsync("/api/v1/counters/a%01b/history"), 400, "name");
        await ProblemAsync(await client.GetAsync($"{TasksPath}?q=%00"), 400, "q");
        await ProblemAsync(await client.GetAsync($"{TasksPath}/t/stream?clientId=%00"), 400, "clientId");
        await ProblemAsync(await client.GetAsync($"/ws/task/{new string('x', 300)}"), 400, "id");
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_non_ascii_job_id_gets_an_escaped_location_and_its_answer_replays(Engine engine)
    {
        Engines.Require(engine);
        await using var host = await TestHost.StartAsync(engine);
        var client = host.Client();
        var first = await client.PostJsonAsync("/api/v1/jobs", """{"id":"rapport-é🚀","type":"noop"}""", "job-key");
        await first.ExpectAsync(201);
        Assert.Equal("/api/v1/jobs/rapport-%C3%A9%F0%9F%9A%80", first.Headers.Location?.OriginalString);
        var again = await client.PostJsonAsync("/api/v1/jobs", """{"id":"rapport-é🚀","type":"noop"}""", "job-key");
        await again.ExpectAsync(201);
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_problem_is_json_whatever_the_accept_header_asks_for(Engine engine)
    {
        Engines.Require(engine);
        await using var host = await TestHost.StartAsync(engine);
        var client = host.Client();
        client.DefaultRequestHeaders.Accept.Clear();
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/xml"));
        await ProblemAsync(await client.PostJsonAsync("/api/v1/workflows/nope/complete", "{}"), 404, "nope");
        await ProblemAsync(await client.PostJsonAsync($"{TasksPath}/nope/progress", """{"progress":1}""", "idem-1"), 404, "nope");
    }
}
