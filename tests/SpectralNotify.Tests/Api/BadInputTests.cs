using System.Net.Http.Headers;
using System.Text;
using SpectralNotify.Tests.Infrastructure;
using static SpectralNotify.Tests.Api.ApiAssert;

namespace SpectralNotify.Tests.Api;

/// <summary>
/// Every kind of bad request: the right 4xx, an <c>application/problem+json</c> body naming the
/// field or rule, never a 500, and nothing written (the seeded task's lastSeq and version stay).
/// </summary>
public sealed class BadInputTests
{
    private const string T = TasksPath + "/t";

    /// <summary>One bad request: a label for failure messages, how to send it, the status and what the problem must name.</summary>
    private sealed record Case(string Label, Func<HttpClient, Task<HttpResponseMessage>> Send, int Status, params string[] Mentions);

    private static Case Post(string label, string path, string json, int status, params string[] mentions) =>
        new(label, c => c.PostJsonAsync(path, json), status, mentions);

    /// <summary>Starts a host with task <c>t</c> in progress (lastSeq 2), runs each case and checks nothing changed.</summary>
    private static async Task RunAsync(Engine engine, IEnumerable<Case> cases, params string[] mustNotExist)
    {
        await using var host = await TestHost.StartAsync(engine);
        var client = host.Client();
        await client.CreateTaskAsync("t", ""","title":"seed","metadata":{"k":1}""");
        await (await client.PostJsonAsync($"{T}/progress", """{"progress":10}""")).ExpectAsync(200);
        var before = await SnapshotAsync(client, "t");
        Assert.Equal(2, before.LastSeq);

        foreach (var c in cases)
        {
            try
            {
                await ProblemAsync(await c.Send(client), c.Status, c.Mentions);
                Assert.Equal(before, await SnapshotAsync(client, "t"));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Assert.Fail($"[{c.Label}] {e.Message}");
            }
        }
        Assert.Equal(2, (await EventsAsync(client, "t")).Count);
        foreach (var id in mustNotExist)
        {
            await AssertMissingAsync(client, id);
        }
        // Whatever was refused, the task list still reads.
        Assert.Equal(["t"], Ids(await (await client.GetAsync(TasksPath)).ExpectAsync(200)));
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public Task Malformed_json_is_400(Engine engine) => RunAsync(engine,
    [
        Post("create, truncated", TasksPath, """{"id":"mj","title":""", 400, "JSON"),
        Post("create, unquoted name", TasksPath, """{id:"mj"}""", 400, "JSON"),
        Post("create, trailing garbage", TasksPath, """{"id":"mj"} x""", 400, "JSON"),
        Post("create, array", TasksPath, """[{"id":"mj"}]""", 400, "JSON"),
        Post("event, truncated", $"{T}/events", """{"type":"log","message":""", 400, "JSON"),
        Post("progress, not json", $"{T}/progress", "progress=5", 400, "JSON"),
        Post("progress, single quotes", $"{T}/progress", "{'progress':5}", 400, "JSON"),
        Post("fail, trailing comma", $"{T}/fail", """{"error":"x",}""", 400, "JSON"),
        Post("complete, truncated", $"{T}/complete", """{"metadata":{""", 400, "JSON"),
        new("patch, truncated", c => c.PatchJsonAsync(T, """{"title":"x" """), 400, "JSON"),
        Post("batch, truncated", $"{TasksPath}/batch", """{"operations":[{"op":"create","id":"mb"}""", 400, "JSON"),
        Post("batch, mid-array garbage", $"{TasksPath}/batch", """{"operations":[{"op":"create","id":"mb"},]}""", 400, "JSON"),
    ], "mj", "mb");

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public Task Missing_or_null_body_is_400(Engine engine) => RunAsync(engine,
    [
        Post("progress, empty", $"{T}/progress", "", 400, "body"),
        Post("progress, null", $"{T}/progress", "null", 400, "body"),
        Post("fail, null", $"{T}/fail", "null", 400, "body"),
        Post("event, null", $"{T}/events", "null", 400, "body"),
        Post("create, null", TasksPath, "null", 400, "body"),
        Post("batch, null", $"{TasksPath}/batch", "null", 400, "body"),
        new("patch, null", c => c.PatchJsonAsync(T, "null"), 400, "body"),
        Post("batch, null operation", $"{TasksPath}/batch", """{"operations":[{"op":"create","id":"nb"},null]}""", 400, "operations[1]"),
    ], "nb");

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public Task Values_of_the_wrong_type_are_400_naming_the_field(Engine engine) => RunAsync(engine,
    [
        Post("progress as word", $"{T}/progress", """{"progress":"fifty"}""", 400, "progress"),
        Post("progress as bool", $"{T}/progress", """{"progress":true}""", 400, "progress"),
        Post("progress as object", $"{T}/progress", """{"progress":{"v":5}}""", 400, "progress"),
        Post("progress overflow", $"{T}/progress", """{"progress":1e400}""", 400, "progress"),
        Post("message as number", $"{T}/progress", """{"progress":5,"message":5}""", 400, "message"),
        Post("title as number", TasksPath, """{"id":"wt","title":42}""", 400, "title"),
        Post("id as number", TasksPath, """{"id":7}""", 400, "id"),
        Post("metadata as array", TasksPath, """{"id":"wt","metadata":[1,2]}""", 400, "metadata", "object"),
        Post("metadata as string", TasksPath, """{"id":"wt","metadata":"{}"}""", 400, "metadata", "object"),
        Post("config as number", TasksPath, """{"id":"wt","config":3}""", 400, "config", "object"),
        Post("expiresAt not a time", TasksPath, """{"id":"wt","expiresAt":"tomorrow"}""", 400, "expiresAt"),
        Post("ttlSeconds as word", TasksPath, """{"id":"wt","ttlSeconds":"soon"}""", 400, "ttlSeconds"),
        Post("event metadata as array", $"{T}/events", """{"type":"log","message":"m","metadata":[]}""", 400, "metadata"),
        Post("complete metadata as array", $"{T}/complete", """{"metadata":[1]}""", 400, "metadata"),
        Post("fail error as object", $"{T}/fail", """{"error":{"m":"x"}}""", 400, "error"),
        new("patch metadata as array", c => c.PatchJsonAsync(T, """{"metadata":[1]}"""), 400, "metadata"),
        new("patch title as bool", c => c.PatchJsonAsync(T, """{"title":false}"""), 400, "title"),
        Post("batch operations as object", $"{TasksPath}/batch", """{"operations":{"op":"create"}}""", 400, "operations"),
        Post("batch op metadata as array", $"{TasksPath}/batch", """{"operations":[{"op":"create","id":"wb"},{"op":"complete","id":"t","metadata":[]}]}""", 400, "operations[1].metadata"),
    ], "wt", "wb");

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public Task Numbers_sent_as_strings_are_400(Engine engine) => RunAsync(engine,
    [
        Post("progress as numeric string", $"{T}/progress", """{"progress":"50"}""", 400, "progress"),
        Post("event progress as numeric string", $"{T}/events", """{"type":"progress","message":"m","progress":"50"}""", 400, "progress"),
        Post("ttlSeconds as numeric string", TasksPath, """{"id":"ns","ttlSeconds":"60"}""", 400, "ttlSeconds"),
    ], "ns");

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public Task Progress_outside_0_to_100_or_missing_is_400(Engine engine) => RunAsync(engine,
    [
        Post("-1", $"{T}/progress", """{"progress":-1}""", 400, "progress", "0 to 100"),
        Post("100.5", $"{T}/progress", """{"progress":100.5}""", 400, "progress", "0 to 100"),
        Post("-0.0001", $"{T}/progress", """{"progress":-0.0001}""", 400, "progress"),
        Post("1e9", $"{T}/progress", """{"progress":1e9}""", 400, "progress"),
        Post("missing", $"{T}/progress", """{"message":"no number"}""", 400, "progress", "required"),
        Post("empty object", $"{T}/progress", "{}", 400, "progress", "required"),
        Post("null", $"{T}/progress", """{"progress":null}""", 400, "progress", "required"),
        Post("event with 101", $"{T}/events", """{"type":"progress","message":"m","progress":101}""", 400, "progress"),
        Post("create with -5", TasksPath, """{"id":"pr","progress":-5}""", 400, "progress"),
        Post("batch progress 200", $"{TasksPath}/batch", """{"operations":[{"op":"progress","id":"t","progress":200}]}""", 400, "operations[0].progress"),
        Post("batch progress missing", $"{TasksPath}/batch", """{"operations":[{"op":"progress","id":"t"}]}""", 400, "operations[0].progress"),
    ], "pr");

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Ids_are_1_to_200_characters_without_slash_or_control_characters(Engine engine)
    {
        var id201 = new string('x', 201);
        await RunAsync(engine,
        [
            Post("201 chars", TasksPath, $$"""{"id":"{{id201}}"}""", 400, "id", "200"),
            Post("empty", TasksPath, """{"id":""}""", 400, "id"),
            Post("slash", TasksPath, """{"id":"a/b"}""", 400, "id", "/"),
            Post("control", TasksPath, """{"id":"a\u0001b"}""", 400, "id", "control"),
            Post("201 chars in path", $"{TasksPath}/{id201}/progress", """{"progress":5}""", 400, "id", "200"),
            Post("201 chars in batch", $"{TasksPath}/batch", $$"""{"operations":[{"op":"create","id":"{{id201}}"}]}""", 400, "operations[0].id"),
        ], id201[..200]);

        await using var host = await TestHost.StartAsync(engine);
        var client = host.Client();
        var id200 = new string('y', 200);
        var r = await client.PostJsonAsync(TasksPath, $$"""{"id":"{{id200}}"}""");
        Assert.Equal(id200, (await r.ExpectAsync(201)).GetProperty("id").GetString());
        await (await client.GetAsync(r.Headers.Location)).ExpectAsync(200);
        await (await client.PostJsonAsync($"{TasksPath}/{id200}/progress", """{"progress":5}""")).ExpectAsync(200);
        var multiByte = new string('é', 200);
        await client.CreateTaskAsync(multiByte);
        Assert.Equal(1, (await SnapshotAsync(client, multiByte)).LastSeq);
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public Task Lone_surrogates_in_json_objects_are_400(Engine engine) => RunAsync(engine,
    [
        Post("metadata value", TasksPath, """{"id":"s1","metadata":{"a":"\ud800"}}""", 400, "metadata"),
        Post("metadata low surrogate", TasksPath, """{"id":"s1","metadata":{"a":"x\udc00y"}}""", 400, "metadata"),
        Post("metadata key", TasksPath, """{"id":"s1","metadata":{"\ud800":1}}""", 400, "metadata"),
        Post("nested", TasksPath, """{"id":"s1","metadata":{"a":[{"b":"\ud83d"}]}}""", 400, "metadata"),
        Post("config", TasksPath, """{"id":"s1","config":{"a":"\udfff"}}""", 400, "config"),
        Post("event metadata", $"{T}/events", """{"type":"log","message":"m","metadata":{"a":"\ud800"}}""", 400, "metadata"),
        Post("complete metadata", $"{T}/complete", """{"metadata":{"a":"\ud800"}}""", 400, "metadata"),
        new("patch config", c => c.PatchJsonAsync(T, """{"config":{"a":"\ud800"}}"""), 400, "config"),
        Post("batch", $"{TasksPath}/batch", """{"operations":[{"op":"create","id":"s2","metadata":{"a":"\ud800"}}]}""", 400, "operations[0].metadata"),
    ], "s1", "s2");

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Valid_surrogate_pairs_and_escapes_round_trip(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var client = host.Client();
        var t = await client.CreateTaskAsync("emoji", ""","title":"done \ud83d\ude00","metadata":{"e":"\ud83d\ude00","n":"\u0000x","q":"\"\\"}""");
        Assert.Equal("done \U0001F600", t.GetProperty("title").GetString());
        var stored = await (await client.GetAsync($"{TasksPath}/emoji")).ExpectAsync(200);
        Assert.Equal("\U0001F600", stored.GetProperty("metadata").GetProperty("e").GetString());
        Assert.Equal("\0x", stored.GetProperty("metadata").GetProperty("n").GetString());
        Assert.Equal("\"\\", stored.GetProperty("metadata").GetProperty("q").GetString());
        await (await client.GetAsync(TasksPath)).ExpectAsync(200);
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Json_objects_over_64_KiB_are_400(Engine engine)
    {
        var big = JsonObjectOfSize(64 * 1024 + 1);
        await RunAsync(engine,
        [
            Post("create metadata", TasksPath, $$"""{"id":"big","metadata":{{big}}}""", 400, "metadata", "64 KiB"),
            Post("create config", TasksPath, $$"""{"id":"big","config":{{big}}}""", 400, "config", "64 KiB"),
            Post("event metadata", $"{T}/events", $$"""{"type":"log","message":"m","metadata":{{big}}}""", 400, "metadata", "64 KiB"),
            Post("complete metadata", $"{T}/complete", $$"""{"metadata":{{big}}}""", 400, "metadata", "64 KiB"),
            Post("fail metadata", $"{T}/fail", $$"""{"error":"e","metadata":{{big}}}""", 400, "metadata", "64 KiB"),
            Post("cancel metadata", $"{T}/cancel", $$"""{"metadata":{{big}}}""", 400, "metadata", "64 KiB"),
            new("patch metadata", c => c.PatchJsonAsync(T, $$"""{"metadata":{{big}}}"""), 400, "metadata", "64 KiB"),
            Post("batch metadata", $"{TasksPath}/batch", $$"""{"operations":[{"op":"event","id":"t","type":"log","message":"m","metadata":{{big}}}]}""", 400, "operations[0].metadata"),
        ], "big");

        // Exactly 64 KiB is allowed and stored whole.
        await using var host = await TestHost.StartAsync(engine);
        var client = host.Client();
        var limit = JsonObjectOfSize(64 * 1024);
        var t = await client.CreateTaskAsync("edge", $$""","metadata":{{limit}}""");
        Assert.Equal(64 * 1024, Encoding.UTF8.GetByteCount(t.GetProperty("metadata").GetRawText()));
        var stored = await (await client.GetAsync($"{TasksPath}/edge")).ExpectAsync(200);
        Assert.Equal(limit.Length - 8, stored.GetProperty("metadata").GetProperty("x").GetString()!.Length);
    }

    /// <summary><c>{"x":"aaa…"}</c> of exactly <paramref name="bytes"/> bytes.</summary>
    private static string JsonObjectOfSize(int bytes) => "{\"x\":\"" + new string('a', bytes - 8) + "\"}";

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Messages_over_8_KiB_are_400(Engine engine)
    {
        var over = new string('m', 8 * 1024 + 1);
        var overMultiByte = new string('é', 4097); // 4,097 characters but 8,194 UTF-8 bytes
        await RunAsync(engine,
        [
            Post("event message", $"{T}/events", $$"""{"type":"log","message":"{{over}}"}""", 400, "message", "8 KiB"),
            Post("event message, multi-byte", $"{T}/events", $$"""{"type":"log","message":"{{overMultiByte}}"}""", 400, "message", "8 KiB"),
            Post("event message missing", $"{T}/events", """{"type":"log"}""", 400, "message", "required"),
            Post("progress message", $"{T}/progress", $$"""{"progress":5,"message":"{{over}}"}""", 400, "message"),
            Post("fail error", $"{T}/fail", $$"""{"error":"{{over}}"}""", 400, "error", "8 KiB"),
            Post("fail error missing", $"{T}/fail", "{}", 400, "error", "required"),
            Post("cancel reason", $"{T}/cancel", $$"""{"reason":"{{over}}"}""", 400, "reason", "8 KiB"),
            Post("batch event message", $"{TasksPath}/batch", $$"""{"operations":[{"op":"event","id":"t","type":"log","message":"{{over}}"}]}""", 400, "operations[0].message"),
        ]);

        await using var host = await TestHost.StartAsync(engine);
        var client = host.Client();
        await client.CreateTaskAsync("edge");
        var exact = new string('é', 4096);
        var ev = await (await client.PostJsonAsync($"{TasksPath}/edge/events", $$"""{"type":"log","message":"{{exact}}"}""")).ExpectAsync(201);
        Assert.Equal(exact, ev.GetProperty("message").GetString());
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public Task Bodies_over_1_MiB_are_413(Engine engine)
    {
        var huge = new string('h', 1024 * 1024);
        return RunAsync(engine,
        [
            new("create", c => c.PostOversizedAsync(TasksPath, $$"""{"id":"huge","title":"{{huge}}"}"""), 413, "1 MiB"),
            new("event", c => c.PostOversizedAsync($"{T}/events", $$"""{"type":"log","message":"{{huge}}"}"""), 413, "1 MiB"),
            new("batch", c => c.PostOversizedAsync($"{TasksPath}/batch", $$"""{"operations":[{"op":"create","id":"huge","description":"{{huge}}"}]}"""), 413, "1 MiB"),
            new("event, chunked", c => c.SendOversizedAsync(() =>
            {
                var request = new HttpRequestMessage(HttpMethod.Post, $"{T}/events")
                {
                    Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes($$"""{"type":"log","message":"{{huge}}"}"""))),
                };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                request.Headers.TransferEncodingChunked = true;
                return request;
            }), 413, "1 MiB"),
        ], "huge");
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public Task Unknown_event_types_are_400(Engine engine) => RunAsync(engine,
    [
        Post("debug", $"{T}/events", """{"type":"debug","message":"m"}""", 400, "type", "log, progress, error, success"),
        Post("upper case", $"{T}/events", """{"type":"LOG","message":"m"}""", 400, "type"),
        Post("empty", $"{T}/events", """{"type":"","message":"m"}""", 400, "type"),
        Post("missing", $"{T}/events", """{"message":"m"}""", 400, "type", "required"),
        Post("batch", $"{TasksPath}/batch", """{"operations":[{"op":"event","id":"t","type":"warn","message":"m"}]}""", 400, "operations[0].type"),
    ]);

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public Task Mutating_an_unknown_task_is_404_and_creates_nothing(Engine engine) => RunAsync(engine,
    [
        Post("progress", $"{TasksPath}/ghost/progress", """{"progress":5}""", 404, "ghost"),
        Post("event", $"{TasksPath}/ghost/events", """{"type":"log","message":"m"}""", 404, "ghost"),
        Post("complete", $"{TasksPath}/ghost/complete", "{}", 404, "ghost"),
        Post("fail", $"{TasksPath}/ghost/fail", """{"error":"e"}""", 404, "ghost"),
        Post("cancel", $"{TasksPath}/ghost/cancel", "{}", 404, "ghost"),
        new("patch", c => c.PatchJsonAsync($"{TasksPath}/ghost", """{"title":"x"}"""), 404, "ghost"),
        new("patch with If-Match", c => c.PatchJsonAsync($"{TasksPath}/ghost", """{"title":"x"}""", "\"1\""), 404, "ghost"),
        Post("batch", $"{TasksPath}/batch", """{"operations":[{"op":"progress","id":"ghost","progress":1}]}""", 404, "operations[0]", "ghost"),
    ], "ghost");

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public Task Reading_or_deleting_an_unknown_task_is_a_404_problem(Engine engine) => RunAsync(engine,
    [
        new("get", c => c.GetAsync($"{TasksPath}/ghost"), 404, "ghost"),
        new("events", c => c.GetAsync($"{TasksPath}/ghost/events"), 404, "ghost"),
        new("events after", c => c.GetAsync($"{TasksPath}/ghost/events?after=5&limit=1"), 404, "ghost"),
        new("delete", c => c.DeleteAsync($"{TasksPath}/ghost"), 404, "ghost"),
    ], "ghost");

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Invalid_transitions_are_409_naming_the_current_status(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var client = host.Client();
        await client.CreateTaskAsync("done");
        await (await client.PostJsonAsync($"{TasksPath}/done/progress", """{"progress":50}""")).ExpectAsync(200);
        await (await client.PostJsonAsync($"{TasksPath}/done/complete", "{}")).ExpectAsync(200);
        var before = await SnapshotAsync(client, "done");

        foreach (var (path, body) in new[]
        {
            ("progress", """{"progress":60}"""), ("complete", "{}"), ("fail", """{"error":"late"}"""),
            ("cancel", """{"reason":"late"}"""), ("events", """{"type":"log","message":"late"}"""),
        })
        {
            var problem = await ProblemAsync(await client.PostJsonAsync($"{TasksPath}/done/{path}", body), 409, "success", "done");
            Assert.Equal("success", problem.GetProperty("currentStatus").GetString());
            Assert.Equal(before, await SnapshotAsync(client, "done"));
        }
        await ProblemAsync(await client.PatchJsonAsync($"{TasksPath}/done", """{"title":"late"}""", "\"3\""), 409, "success");
        Assert.Equal(before, await SnapshotAsync(client, "done"));
        Assert.Equal(3, (await EventsAsync(client, "done")).Count);

        // A task cannot be created already finished.
        foreach (var status in new[] { "success", "failed", "canceled", "running" })
        {
            await ProblemAsync(await client.PostJsonAsync(TasksPath, $$"""{"id":"s-{{status}}","status":"{{status}}"}"""), 400, "status");
            await AssertMissingAsync(client, $"s-{status}");
        }
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public Task Bad_if_match_is_400(Engine engine) => RunAsync(engine,
    [
        new("word", c => c.PatchJsonAsync(T, """{"title":"x"}""", "\"abc\""), 400, "If-Match"),
        new("unquoted word", c => c.PatchJsonAsync(T, """{"title":"x"}""", "abc"), 400, "If-Match"),
        new("negative", c => c.PatchJsonAsync(T, """{"title":"x"}""", "\"-1\""), 400, "If-Match"),
        new("decimal", c => c.PatchJsonAsync(T, """{"title":"x"}""", "\"2.0\""), 400, "If-Match"),
        new("list", c => c.PatchJsonAsync(T, """{"title":"x"}""", "\"1\", \"2\""), 400, "If-Match"),
        new("overflow", c => c.PatchJsonAsync(T, """{"title":"x"}""", "\"99999999999999999999999\""), 400, "If-Match"),
        // With nothing to change, both rules are reported together.
        new("word and empty body", c => c.PatchJsonAsync(T, "{}", "\"abc\""), 400, "If-Match"),
    ]);

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public Task Invalid_create_and_update_fields_are_400_naming_each(Engine engine) => RunAsync(engine,
    [
        Post("title too long", TasksPath, $$"""{"id":"cf","title":"{{new string('t', 501)}}"}""", 400, "title", "500"),
        Post("type too long", TasksPath, $$"""{"id":"cf","type":"{{new string('t', 101)}}"}""", 400, "type", "100"),
        Post("path too long", TasksPath, $$"""{"id":"cf","workspacePath":"{{new string('p', 1025)}}"}""", 400, "workspacePath", "1024"),
        Post("ttl zero", TasksPath, """{"id":"cf","ttlSeconds":0}""", 400, "ttlSeconds"),
        Post("ttl negative", TasksPath, """{"id":"cf","ttlSeconds":-5}""", 400, "ttlSeconds"),
        Post("ttl over 10 years", TasksPath, """{"id":"cf","ttlSeconds":400000000}""", 400, "ttlSeconds"),
        Post("ttl and expiresAt", TasksPath, """{"id":"cf","ttlSeconds":60,"expiresAt":"2099-01-01T00:00:00Z"}""", 400, "ttlSeconds", "expiresAt"),
        Post("every rule at once", TasksPath, $$"""{"id":"a/b","progress":300,"status":"done","metadata":[],"title":"{{new string('t', 501)}}"}""",
            400, "id", "progress", "status", "metadata", "title"),
        new("patch with nothing to change", c => c.PatchJsonAsync(T, "{}"), 400, "body"),
        new("patch title too long", c => c.PatchJsonAsync(T, $$"""{"title":"{{new string('t', 501)}}"}"""), 400, "title"),
        Post("batch unknown op", $"{TasksPath}/batch", """{"operations":[{"op":"delete","id":"t"}]}""", 400, "operations[0].op"),
        Post("batch missing op", $"{TasksPath}/batch", """{"operations":[{"id":"t"}]}""", 400, "operations[0].op"),
        Post("batch update with nothing", $"{TasksPath}/batch", """{"operations":[{"op":"update","id":"t"}]}""", 400, "operations[0].body"),
    ], "cf");

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public Task Non_json_content_types_are_415(Engine engine) => RunAsync(engine,
    [
        new("text/plain", c => c.SendAsync(HttpMethod.Post, $"{T}/progress", null, r =>
            r.Content = new StringContent("""{"progress":5}""", Encoding.UTF8, "text/plain")), 415),
        new("form", c => c.SendAsync(HttpMethod.Post, TasksPath, null, r =>
            r.Content = new FormUrlEncodedContent([new("id", "form")])), 415),
    ], "form");

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public Task Invalid_list_parameters_are_400_naming_the_parameter(Engine engine) => RunAsync(engine,
    [
        Get("status=bogus", "status=bogus", "status", "pending"),
        Get("status=Pending", "status=Pending", "status"),
        Get("limit=0", "limit=0", "limit", "500"),
        Get("limit=-1", "limit=-1", "limit"),
        Get("limit=501", "limit=501", "limit", "500"),
        Get("limit=abc", "limit=abc", "limit"),
        Get("limit=1.5", "limit=1.5", "limit"),
        Get("cursor=garbage", "cursor=garbage", "cursor"),
        Get("cursor=!!!", "cursor=%21%21%21", "cursor"),
        Get("cursor without bar", $"cursor={B64("2025-01-01T00:00:00.000Z")}", "cursor"),
        Get("cursor with a bad time", $"cursor={B64("yesterday|t")}", "cursor"),
        Get("cursor with a loose time", $"cursor={B64("2025-01-01|t")}", "cursor"),
        Get("createdAfter=soon", "createdAfter=soon", "createdAfter"),
        Get("createdBefore=2025-13-45", "createdBefore=2025-13-45", "createdBefore"),
        Get("q too long", $"q={new string('q', 501)}", "q"),
        Get("several at once", "status=x&limit=0&cursor=zz", "status", "limit", "cursor"),
        new("events after=-1", c => c.GetAsync($"{T}/events?after=-1"), 400, "after"),
        new("events after=abc", c => c.GetAsync($"{T}/events?after=abc"), 400, "after"),
        new("events limit=0", c => c.GetAsync($"{T}/events?limit=0"), 400, "limit"),
        new("events limit=501", c => c.GetAsync($"{T}/events?limit=501"), 400, "limit"),
    ]);

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public Task Nul_characters_in_list_filters_are_400(Engine engine) => RunAsync(engine,
    [
        Get("q", "q=a%00b", "q", "NUL"),
        Get("type", "type=%00", "type"),
        Get("type inside", "type=build%00x", "type"),
        Get("cursor id", $"cursor={B64("2025-01-01T00:00:00.000Z|a\0b")}", "cursor"),
    ]);

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public Task Dot_segment_ids_are_400(Engine engine) => RunAsync(engine,
    [
        Post("dot", TasksPath, """{"id":"."}""", 400, "id"),
        Post("dot dot", TasksPath, """{"id":".."}""", 400, "id"),
        Post("batch dot dot", $"{TasksPath}/batch", """{"operations":[{"op":"create","id":".."}]}""", 400, "operations[0].id"),
    ]);

    private static Case Get(string label, string query, params string[] mentions) =>
        new(label, c => c.GetAsync($"{TasksPath}?{query}"), 400, mentions);

    private static string B64(string text) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
