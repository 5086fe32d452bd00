using System.Globalization;
using System.Text;
using System.Text.Json;
using SpectralNotify.Server.Maintenance;
using SpectralNotify.Tests.Infrastructure;
using static SpectralNotify.Tests.Api.ApiAssert;

namespace SpectralNotify.Tests.Api;

/// <summary>The v1 task routes over a real server: shapes, headers, lifecycle, lists, batches and TTL.</summary>
public sealed class TaskApiTests
{
    private static readonly string[] TaskFields =
    [
        "id", "title", "description", "type", "status", "progress", "metadata", "config", "workspacePath", "error",
        "createdBy", "createdAt", "updatedAt", "startedAt", "completedAt", "failedAt", "canceledAt", "expiresAt",
        "lastSeq", "version", "workflowId", "sequence",
    ];

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Create_answers_201_with_location_etag_and_defaults(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var writer = host.Client(TestHost.WriteKey);

        var r = await writer.PostJsonAsync(TasksPath, """
            {"id":"build-1","title":"Build","description":"nightly","type":"ci","workspacePath":"/src/app",
             "metadata":{"branch":"main","n":[1,2]},"config":{"retries":3}}
            """);
        var t = await r.ExpectAsync(201);
        AssertJsonType(r);
        Assert.Equal("/api/v1/tasks/build-1", r.Headers.Location?.OriginalString);
        Assert.Equal("\"1\"", ETag(r));
        Assert.Equal("build-1", t.GetProperty("id").GetString());
        Assert.Equal("Build", t.GetProperty("title").GetString());
        Assert.Equal("nightly", t.GetProperty("description").GetString());
        Assert.Equal("ci", t.GetProperty("type").GetString());
        Assert.Equal("/src/app", t.GetProperty("workspacePath").GetString());
        Assert.Equal("pending", t.GetProperty("status").GetString());
        Assert.Equal(0, t.GetProperty("progress").GetDouble());
        Assert.Equal("main", t.GetProperty("metadata").GetProperty("branch").GetString());
        Assert.Equal(2, t.GetProperty("metadata").GetProperty("n").GetArrayLength());
        Assert.Equal(3, t.GetProperty("config").GetProperty("retries").GetInt32());
        Assert.Equal("writer", t.GetProperty("createdBy").GetString());
        Assert.Equal(1, t.GetProperty("lastSeq").GetInt64());
        Assert.Equal(1, t.GetProperty("version").GetInt64());
        Assert.Equal(t.GetProperty("createdAt").GetString(), t.GetProperty("updatedAt").GetString());
        foreach (var unset in new[] { "error", "startedAt", "completedAt", "failedAt", "canceledAt", "expiresAt" })
        {
            Assert.Equal(JsonValueKind.Null, t.GetProperty(unset).ValueKind);
        }

        // The admin key's name is recorded the same way.
        var byAdmin = await host.Client().CreateTaskAsync("build-2");
        Assert.Equal("admin", byAdmin.GetProperty("createdBy").GetString());

        // The first event is the creation.
        var events = await EventsAsync(writer, "build-1");
        var created = Assert.Single(events);
        Assert.Equal(1, created.GetProperty("seq").GetInt64());
        Assert.Equal("log", created.GetProperty("type").GetString());
        Assert.Equal("build-1", created.GetProperty("taskId").GetString());
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Create_without_id_generates_a_unique_one(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var writer = host.Client(TestHost.WriteKey);

        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 3; i++)
        {
            var r = await writer.PostJsonAsync(TasksPath, i == 0 ? "{}" : """{"title":"anonymous"}""");
            var t = await r.ExpectAsync(201);
            var id = t.GetProperty("id").GetString()!;
            Assert.True(Guid.TryParse(id, out _), $"Generated id '{id}' is not a UUID");
            Assert.Equal($"/api/v1/tasks/{id}", r.Headers.Location?.OriginalString);
            Assert.True(ids.Add(id), $"Duplicate generated id {id}");
            var fetched = await (await writer.GetAsync(r.Headers.Location)).ExpectAsync(200);
            Assert.Equal(id, fetched.GetProperty("id").GetString());
        }
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Create_accepts_in_progress_status_and_initial_progress(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var client = host.Client();

        var t = await client.CreateTaskAsync("running", ""","status":"in-progress","progress":12.5""");
        Assert.Equal("in-progress", t.GetProperty("status").GetString());
        Assert.Equal(12.5, t.GetProperty("progress").GetDouble());
        Assert.Equal(t.GetProperty("createdAt").GetString(), t.GetProperty("startedAt").GetString());
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Get_returns_the_task_with_its_version_as_etag(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var client = host.Client();
        var created = await client.CreateTaskAsync("g1", ""","title":"T","metadata":{"k":"v"}""");

        var r = await client.GetAsync($"{TasksPath}/g1");
        var t = await r.ExpectAsync(200);
        AssertJsonType(r);
        Assert.Equal("\"1\"", ETag(r));
        Assert.Equal(created.GetRawText(), t.GetRawText());

        await (await client.PostJsonAsync($"{TasksPath}/g1/progress", """{"progress":5}""")).ExpectAsync(200);
        var r2 = await client.GetAsync($"{TasksPath}/g1");
        var t2 = await r2.ExpectAsync(200);
        Assert.Equal("\"2\"", ETag(r2));
        Assert.Equal(2, t2.GetProperty("version").GetInt64());
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Ids_with_reserved_url_characters_round_trip(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var client = host.Client();
        const string id = "job #1 ?x=ü&y";

        var r = await client.PostJsonAsync(TasksPath, JsonSerializer.Serialize(new { id }));
        await r.ExpectAsync(201);
        Assert.Equal($"/api/v1/tasks/{Uri.EscapeDataString(id)}", r.Headers.Location?.OriginalString);
        var t = await (await client.GetAsync($"{TasksPath}/{Uri.EscapeDataString(id)}")).ExpectAsync(200);
        Assert.Equal(id, t.GetProperty("id").GetString());
        await (await client.PostJsonAsync($"{TasksPath}/{Uri.EscapeDataString(id)}/progress", """{"progress":1}""")).ExpectAsync(200);
        Assert.Equal(2, (await EventsAsync(client, id)).Count);
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Creating_an_existing_id_is_409_and_leaves_the_task_alone(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var client = host.Client();
        await client.CreateTaskAsync("dup", ""","title":"first" """);
        await (await client.PostJsonAsync($"{TasksPath}/dup/progress", """{"progress":30}""")).ExpectAsync(200);
        var before = await SnapshotAsync(client, "dup");

        var problem = await ProblemAsync(await client.PostJsonAsync(TasksPath, """{"id":"dup","title":"second"}"""), 409, "dup", "already exists");
        Assert.Equal("dup", problem.GetProperty("taskId").GetString());

        Assert.Equal(before, await SnapshotAsync(client, "dup"));
        Assert.Equal(2, (await EventsAsync(client, "dup")).Count);
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task List_is_newest_first_and_filters_by_status_type_query_and_time(Engine engine)
    {
        var clock = new ManualTime(DateTimeOffset.UtcNow);
        await using var host = await TestHost.StartAsync(engine, time: clock);
        var admin = host.Client();

        // Created one by one, a few ms apart, so createdAt orders them: a0 oldest ... a6 newest.
        var specs = new (string Id, string Type, string Title, string Description)[]
        {
            ("a0", "build", "Compile the core", "fast"),
            ("a1", "deploy", "Deploy web", "to staging"),
            ("a2", "build", "Compile docs", "100% coverage"),
            ("a3", "test", "Run unit tests", "slow"),
            ("a4", "deploy", "DEPLOY api", "to prod"),
            ("a5", "build", "Package", "zip_it"),
            ("a6", "test", "Smoke", "quick"),
        };
        var createdAt = new List<string>();
        foreach (var s in specs)
        {
            var t = await admin.CreateTaskAsync(s.Id, $$""","type":"{{s.Type}}","title":"{{s.Title}}","description":"{{s.Description}}" """);
            createdAt.Add(t.GetProperty("createdAt").GetString()!);
            clock.Advance(TimeSpan.FromMilliseconds(15));
        }
        Assert.Equal(createdAt.Count, createdAt.Distinct(StringComparer.Ordinal).Count());
        await (await admin.PostJsonAsync($"{TasksPath}/a1/progress", """{"progress":10}""")).ExpectAsync(200);
        await (await admin.PostJsonAsync($"{TasksPath}/a3/progress", """{"progress":20}""")).ExpectAsync(200);
        await (await admin.PostJsonAsync($"{TasksPath}/a2/complete", "{}")).ExpectAsync(200);
        await (await admin.PostJsonAsync($"{TasksPath}/a5/fail", """{"error":"boom"}""")).ExpectAsync(200);
        await (await admin.PostJsonAsync($"{TasksPath}/a6/cancel", "{}")).ExpectAsync(200);

        async Task<List<string>> ListAsync(string query)
        {
            var r = await admin.GetAsync($"{TasksPath}{query}");
            var page = await r.ExpectAsync(200);
            AssertJsonType(r);
            Assert.Equal(JsonValueKind.Null, page.GetProperty("next").ValueKind);
            return Ids(page);
        }

        Assert.Equal(["a6", "a5", "a4", "a3", "a2", "a1", "a0"], await ListAsync(""));
        Assert.Equal(["a4", "a0"], await ListAsync("?status=pending"));
        Assert.Equal(["a3", "a1"], await ListAsync("?status=in-progress"));
        Assert.Equal(["a2"], await ListAsync("?status=success"));
        Assert.Equal(["a5"], await ListAsync("?status=failed"));
        Assert.Equal(["a6"], await ListAsync("?status=canceled"));
        Assert.Equal(["a5", "a2", "a0"], await ListAsync("?type=build"));
        Assert.Empty(await ListAsync("?type=Build"));
        Assert.Equal(["a0"], await ListAsync("?type=build&status=pending"));
        // q: case-insensitive substring of id, title or description; LIKE wildcards are literal.
        Assert.Equal(["a4", "a1"], await ListAsync("?q=deploy"));
        Assert.Equal(["a2", "a0"], await ListAsync("?q=COMPILE"));
        Assert.Equal(["a4"], await ListAsync("?q=prod"));
        Assert.Equal(["a3"], await ListAsync("?q=a3"));
        Assert.Equal(["a2"], await ListAsync($"?q={Uri.EscapeDataString("100%")}"));
        Assert.Empty(await ListAsync($"?q={Uri.EscapeDataString("%e")}"));
        Assert.Equal(["a5"], await ListAsync($"?q={Uri.EscapeDataString("p_i")}"));
        Assert.Empty(await ListAsync($"?q={Uri.EscapeDataString("p_c")}"));
        Assert.Equal(["a6", "a5", "a4", "a3", "a2", "a1", "a0"], await ListAsync("?q="));
        // Time bounds are exclusive.
        Assert.Equal(["a6", "a5", "a4", "a3"], await ListAsync($"?createdAfter={Uri.EscapeDataString(createdAt[2])}"));
        Assert.Equal(["a3", "a2", "a1", "a0"], await ListAsync($"?createdBefore={Uri.EscapeDataString(createdAt[4])}"));
        Assert.Equal(["a4", "a3", "a2"],
            await ListAsync($"?createdAfter={Uri.EscapeDataString(createdAt[1])}&createdBefore={Uri.EscapeDataString(createdAt[5])}"));
        Assert.Equal(["a4"], await ListAsync($"?createdAfter={Uri.EscapeDataString(createdAt[1])}&type=deploy"));
        // The same instant written with another offset selects the same rows.
        var shifted = DateTimeOffset.Parse(createdAt[4], CultureInfo.InvariantCulture).ToOffset(TimeSpan.FromHours(2))
            .ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);
        Assert.Equal(["a3", "a2", "a1", "a0"], await ListAsync($"?createdBefore={Uri.EscapeDataString(shifted)}"));
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task List_pages_with_limit_and_cursor_without_duplicates_or_gaps(Engine engine)
    {
        var clock = new ManualTime(DateTimeOffset.UtcNow);
        await using var host = await TestHost.StartAsync(engine, time: clock);
        var admin = host.Client();
        var expected = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            await admin.CreateTaskAsync($"p{i}", ""","type":"paged" """);
            expected.Insert(0, $"p{i}");
            clock.Advance(TimeSpan.FromMilliseconds(3));
        }
        // A task of another type must not appear on any page of the filtered walk.
        await admin.CreateTaskAsync("other", ""","type":"other" """);

        var pages = await WalkAsync(admin, "type=paged", 3);
        Assert.Equal([3, 3, 1], pages.Select(p => p.Count));
        Assert.Equal(expected, pages.SelectMany(p => p));

        var unfiltered = await WalkAsync(admin, "", 3);
        Assert.Equal([3, 3, 2], unfiltered.Select(p => p.Count));
        Assert.Equal(8, unfiltered.SelectMany(p => p).Distinct(StringComparer.Ordinal).Count());

        // Exactly a page's worth: the last full page has no next cursor.
        var exact = await WalkAsync(admin, "type=paged", 7);
        Assert.Equal(expected, Assert.Single(exact));

        // Limit 1 walks every row.
        Assert.Equal(expected, (await WalkAsync(admin, "type=paged", 1)).SelectMany(p => p));
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task List_pages_tasks_created_in_the_same_millisecond_by_id(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var admin = host.Client();
        // A batch stamps every create with one timestamp, so the cursor has to break ties by id.
        var ops = string.Join(",", Enumerable.Range(0, 7).Select(i => $$"""{"op":"create","id":"same-{{i}}"}"""));
        var result = await (await admin.PostJsonAsync($"{TasksPath}/batch", $$"""{"operations":[{{ops}}]}""")).ExpectAsync(200);
        var stamps = result.GetProperty("data").EnumerateArray().Select(d => d.GetProperty("task").GetProperty("createdAt").GetString()).Distinct().ToList();
        Assert.Single(stamps);

        var pages = await WalkAsync(admin, "", 3);
        Assert.Equal([3, 3, 1], pages.Select(p => p.Count));
        Assert.Equal(Enumerable.Range(0, 7).Reverse().Select(i => $"same-{i}"), pages.SelectMany(p => p));
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task List_orders_non_ascii_ids_by_utf8_bytes_on_every_engine(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var admin = host.Client();
        string[] ids = ["a", "B", "b", "Z", "é", "E", "ä", "\U0001F600", "\uFB00", "a b", "a-b", "\u00A0", "~", "日本"];
        var ops = string.Join(",", ids.Select(id => JsonSerializer.Serialize(new { op = "create", id })));
        await (await admin.PostJsonAsync($"{TasksPath}/batch", $$"""{"operations":[{{ops}}]}""")).ExpectAsync(200);

        // One createdAt for all, so the order is by id alone: descending UTF-8 byte order.
        var expected = ids.OrderByDescending(id => Encoding.UTF8.GetBytes(id), Comparer<byte[]>.Create((x, y) => x.AsSpan().SequenceCompareTo(y))).ToList();
        var pages = await WalkAsync(admin, "", 4);
        Assert.Equal(expected, pages.SelectMany(p => p));
        Assert.Equal(expected, Ids(await (await admin.GetAsync(TasksPath)).ExpectAsync(200)));
    }

    private static async Task<List<List<string>>> WalkAsync(HttpClient client, string filter, int limit)
    {
        var pages = new List<List<string>>();
        string? cursor = null;
        do
        {
            var query = $"?limit={limit}" + (filter.Length > 0 ? "&" + filter : "") + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}");
            var page = await (await client.GetAsync(TasksPath + query)).ExpectAsync(200);
            var ids = Ids(page);
            Assert.True(ids.Count <= limit);
            pages.Add(ids);
            cursor = page.GetProperty("next").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next").GetString();
            Assert.True(cursor is null || ids.Count == limit, "A short page must be the last");
            Assert.True(pages.Count < 50, "Pagination does not end");
        }
        while (cursor is not null);
        var all = pages.SelectMany(p => p).ToList();
        Assert.Equal(all.Count, all.Distinct(StringComparer.Ordinal).Count());
        return pages;
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Patch_with_if_match_updates_and_a_stale_version_is_412(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var client = host.Client(TestHost.WriteKey);
        await client.CreateTaskAsync("p", ""","title":"old","description":"d","metadata":{"a":1},"config":{"c":1}""");

        var r = await client.PatchJsonAsync($"{TasksPath}/p", """{"title":"new","metadata":{"b":2}}""", "\"1\"");
        var t = await r.ExpectAsync(200);
        Assert.Equal("\"2\"", ETag(r));
        Assert.Equal(2, t.GetProperty("version").GetInt64());
        Assert.Equal(2, t.GetProperty("lastSeq").GetInt64());
        Assert.Equal("new", t.GetProperty("title").GetString());
        Assert.Equal("d", t.GetProperty("description").GetString());
        Assert.Equal(2, t.GetProperty("metadata").GetProperty("b").GetInt32());
        Assert.False(t.GetProperty("metadata").TryGetProperty("a", out _));
        Assert.Equal(1, t.GetProperty("config").GetProperty("c").GetInt32());
        Assert.Equal("pending", t.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, t.GetProperty("startedAt").ValueKind);

        // The same (now stale) version again: 412, nothing changes.
        var stale = await ProblemAsync(await client.PatchJsonAsync($"{TasksPath}/p", """{"title":"lost"}""", "\"1\""), 412, "version");
        Assert.Equal(2, stale.GetProperty("version").GetInt64());
        Assert.Equal("p", stale.GetProperty("taskId").GetString());
        var after = await SnapshotAsync(client, "p");
        Assert.Equal("new", after.Title);
        Assert.Equal(2, after.Version);
        Assert.Equal(2, after.LastSeq);

        // A future version is stale too.
        await ProblemAsync(await client.PatchJsonAsync($"{TasksPath}/p", """{"title":"lost"}""", "\"9\""), 412);

        // Weak tags and * are accepted; no If-Match is an unconditional update.
        await (await client.PatchJsonAsync($"{TasksPath}/p", """{"title":"w"}""", "W/\"2\"")).ExpectAsync(200);
        await (await client.PatchJsonAsync($"{TasksPath}/p", """{"title":"star"}""", "*")).ExpectAsync(200);
        var last = await client.PatchJsonAsync($"{TasksPath}/p", """{"description":"free"}""");
        var lt = await last.ExpectAsync(200);
        Assert.Equal("\"5\"", ETag(last));
        Assert.Equal("star", lt.GetProperty("title").GetString());
        Assert.Equal("free", lt.GetProperty("description").GetString());

        // Each update is an event.
        var events = await EventsAsync(client, "p");
        Assert.Equal([1, 2, 3, 4, 5], events.Select(e => e.GetProperty("seq").GetInt64()));
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Delete_answers_204_then_404_and_removes_the_events(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var admin = host.Client();
        await admin.CreateTaskAsync("d");
        await admin.CreateTaskAsync("keep");
        for (var i = 1; i <= 3; i++)
        {
            await (await admin.PostJsonAsync($"{TasksPath}/d/progress", $$"""{"progress":{{i * 10}}}""")).ExpectAsync(200);
        }

        var r = await admin.DeleteAsync($"{TasksPath}/d");
        Assert.Equal(204, (int)r.StatusCode);
        Assert.Empty(await r.Content.ReadAsByteArrayAsync());

        await AssertMissingAsync(admin, "d");
        await NotFoundAsync(await admin.GetAsync($"{TasksPath}/d/events"), "d");
        await NotFoundAsync(await admin.DeleteAsync($"{TasksPath}/d"), "d");
        await ProblemAsync(await admin.PostJsonAsync($"{TasksPath}/d/progress", """{"progress":50}"""), 404, "d");
        Assert.Equal(["keep"], Ids(await (await admin.GetAsync(TasksPath)).ExpectAsync(200)));

        // A new task with the same id starts from scratch: the old events are gone.
        var again = await admin.CreateTaskAsync("d");
        Assert.Equal(1, again.GetProperty("lastSeq").GetInt64());
        var events = await EventsAsync(admin, "d");
        Assert.Equal([1L], events.Select(e => e.GetProperty("seq").GetInt64()));
        Assert.Equal(1, (await SnapshotAsync(admin, "keep")).LastSeq);
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Events_post_201_and_list_pages_with_after_limit_and_next(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var client = host.Client(TestHost.WriteKey);
        await client.CreateTaskAsync("e");

        var r = await client.PostJsonAsync($"{TasksPath}/e/events", """{"type":"log","message":"hello","metadata":{"step":1}}""");
        var ev = await r.ExpectAsync(201);
        AssertJsonType(r);
        Assert.Equal("/api/v1/tasks/e/events?after=1", r.Headers.Location?.OriginalString);
        Assert.Equal("\"2\"", ETag(r));
        Assert.Equal("e", ev.GetProperty("taskId").GetString());
        Assert.Equal(2, ev.GetProperty("seq").GetInt64());
        Assert.Equal("log", ev.GetProperty("type").GetString());
        Assert.Equal("hello", ev.GetProperty("message").GetString());
        Assert.Equal(1, ev.GetProperty("metadata").GetProperty("step").GetInt32());
        Assert.False(ev.TryGetProperty("progress", out _), "A null progress is omitted");
        Assert.Matches(WireTime(), ev.GetProperty("timestamp").GetString());

        // The first event moves the task to in-progress; an event with progress sets it.
        var t = await SnapshotAsync(client, "e");
        Assert.Equal("in-progress", t.Status);
        var withProgress = await (await client.PostJsonAsync($"{TasksPath}/e/events", """{"type":"progress","message":"half","progress":50}""")).ExpectAsync(201);
        Assert.Equal(50, withProgress.GetProperty("progress").GetDouble());
        Assert.Equal(50, (await SnapshotAsync(client, "e")).Progress);
        await (await client.PostJsonAsync($"{TasksPath}/e/events", """{"type":"error","message":"warning only"}""")).ExpectAsync(201);
        await (await client.PostJsonAsync($"{TasksPath}/e/events", """{"type":"success","message":"step done"}""")).ExpectAsync(201);
        // An event of type success or error is only an event: the task stays in progress.
        var still = await SnapshotAsync(client, "e");
        Assert.Equal("in-progress", still.Status);
        Assert.Equal(5, still.LastSeq);

        var p1 = await (await client.GetAsync($"{TasksPath}/e/events?after=0&limit=2")).ExpectAsync(200);
        Assert.Equal([1L, 2L], p1.GetProperty("data").EnumerateArray().Select(x => x.GetProperty("seq").GetInt64()));
        Assert.Equal("2", p1.GetProperty("next").GetString());
        var p2 = await (await client.GetAsync($"{TasksPath}/e/events?after=2&limit=2")).ExpectAsync(200);
        Assert.Equal([3L, 4L], p2.GetProperty("data").EnumerateArray().Select(x => x.GetProperty("seq").GetInt64()));
        Assert.Equal("4", p2.GetProperty("next").GetString());
        var p3 = await (await client.GetAsync($"{TasksPath}/e/events?after=4&limit=2")).ExpectAsync(200);
        Assert.Equal([5L], p3.GetProperty("data").EnumerateArray().Select(x => x.GetProperty("seq").GetInt64()));
        Assert.Equal(JsonValueKind.Null, p3.GetProperty("next").ValueKind);
        // Exactly the rest: no next.
        var exact = await (await client.GetAsync($"{TasksPath}/e/events?after=3&limit=2")).ExpectAsync(200);
        Assert.Equal(2, exact.GetProperty("data").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, exact.GetProperty("next").ValueKind);
        // Past the end: empty, still 200 for an existing task.
        var past = await (await client.GetAsync($"{TasksPath}/e/events?after=99")).ExpectAsync(200);
        Assert.Equal(0, past.GetProperty("data").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, past.GetProperty("next").ValueKind);
        // A read key reads the event list.
        var anon = await (await host.Client(TestHost.ReadKey).GetAsync($"{TasksPath}/e/events")).ExpectAsync(200);
        Assert.Equal(5, anon.GetProperty("data").GetArrayLength());
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Progress_then_complete_follows_the_lifecycle(Engine engine)
    {
        var clock = new ManualTime(DateTimeOffset.UtcNow);
        await using var host = await TestHost.StartAsync(engine, time: clock);
        var client = host.Client(TestHost.WriteKey);
        var created = await client.CreateTaskAsync("life");
        Assert.Equal(JsonValueKind.Null, created.GetProperty("startedAt").ValueKind);

        var r = await client.PostJsonAsync($"{TasksPath}/life/progress", """{"progress":42.5}""");
        var t1 = await r.ExpectAsync(200);
        Assert.Equal("\"2\"", ETag(r));
        Assert.Equal("in-progress", t1.GetProperty("status").GetString());
        Assert.Equal(42.5, t1.GetProperty("progress").GetDouble());
        var startedAt = t1.GetProperty("startedAt").GetString();
        Assert.Matches(WireTime(), startedAt);

        clock.Advance(TimeSpan.FromMilliseconds(5));
        var t2 = await (await client.PostJsonAsync($"{TasksPath}/life/progress", """{"progress":60,"message":"copying"}""")).ExpectAsync(200);
        Assert.Equal(startedAt, t2.GetProperty("startedAt").GetString());
        Assert.Equal(60, t2.GetProperty("progress").GetDouble());
        // Progress may go down; it is whatever the worker last said.
        var t3 = await (await client.PostJsonAsync($"{TasksPath}/life/progress", """{"progress":0}""")).ExpectAsync(200);
        Assert.Equal(0, t3.GetProperty("progress").GetDouble());

        var done = await (await client.PostJsonAsync($"{TasksPath}/life/complete", """{"metadata":{"artifact":"a.zip"}}""")).ExpectAsync(200);
        Assert.Equal("success", done.GetProperty("status").GetString());
        Assert.Equal(100, done.GetProperty("progress").GetDouble());
        Assert.Matches(WireTime(), done.GetProperty("completedAt").GetString());
        Assert.Equal(startedAt, done.GetProperty("startedAt").GetString());
        Assert.Equal(JsonValueKind.Null, done.GetProperty("failedAt").ValueKind);
        Assert.Equal(5, done.GetProperty("lastSeq").GetInt64());

        var events = await EventsAsync(client, "life");
        Assert.Equal(["log", "progress", "progress", "progress", "success"], events.Select(e => e.GetProperty("type").GetString()));
        Assert.Equal("Progress updated to 42.5%", events[1].GetProperty("message").GetString());
        Assert.Equal(42.5, events[1].GetProperty("progress").GetDouble());
        Assert.Equal("copying", events[2].GetProperty("message").GetString());
        Assert.Equal(100, events[4].GetProperty("progress").GetDouble());
        Assert.Equal("a.zip", events[4].GetProperty("metadata").GetProperty("artifact").GetString());

        // complete with no body at all is fine too.
        await client.CreateTaskAsync("bare");
        var bare = await (await client.PostAsync($"{TasksPath}/bare/complete", null)).ExpectAsync(200);
        Assert.Equal("success", bare.GetProperty("status").GetString());
        Assert.Equal(bare.GetProperty("completedAt").GetString(), bare.GetProperty("startedAt").GetString());
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Fail_sets_error_and_cancel_records_the_reason(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var client = host.Client(TestHost.WriteKey);

        await client.CreateTaskAsync("f");
        await (await client.PostJsonAsync($"{TasksPath}/f/progress", """{"progress":70}""")).ExpectAsync(200);
        var failed = await (await client.PostJsonAsync($"{TasksPath}/f/fail", """{"error":"disk full","metadata":{"code":28}}""")).ExpectAsync(200);
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Equal("disk full", failed.GetProperty("error").GetString());
        Assert.Equal(70, failed.GetProperty("progress").GetDouble());
        Assert.Matches(WireTime(), failed.GetProperty("failedAt").GetString());
        Assert.Equal(JsonValueKind.Null, failed.GetProperty("completedAt").ValueKind);
        var failEvent = (await EventsAsync(client, "f"))[^1];
        Assert.Equal("error", failEvent.GetProperty("type").GetString());
        Assert.Equal("disk full", failEvent.GetProperty("message").GetString());
        Assert.Equal(28, failEvent.GetProperty("metadata").GetProperty("code").GetInt32());

        await client.CreateTaskAsync("c");
        var canceled = await (await client.PostJsonAsync($"{TasksPath}/c/cancel", """{"reason":"user asked"}""")).ExpectAsync(200);
        Assert.Equal("canceled", canceled.GetProperty("status").GetString());
        Assert.Matches(WireTime(), canceled.GetProperty("canceledAt").GetString());
        Assert.Equal(JsonValueKind.Null, canceled.GetProperty("error").ValueKind);
        var cancelEvent = (await EventsAsync(client, "c"))[^1];
        Assert.Equal("error", cancelEvent.GetProperty("type").GetString());
        Assert.Equal("Task canceled: user asked", cancelEvent.GetProperty("message").GetString());

        await client.CreateTaskAsync("c2");
        await (await client.PostAsync($"{TasksPath}/c2/cancel", null)).ExpectAsync(200);
        Assert.Equal("Task canceled", (await EventsAsync(client, "c2"))[^1].GetProperty("message").GetString());
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Terminal_tasks_refuse_every_mutation_with_409_naming_the_status(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var client = host.Client();
        var finishers = new (string Id, string Path, string Body, string Status)[]
        {
            ("t-success", "complete", "{}", "success"),
            ("t-failed", "fail", """{"error":"x"}""", "failed"),
            ("t-canceled", "cancel", "{}", "canceled"),
        };
        var attempts = new (HttpMethod Method, string Suffix, string Body)[]
        {
            (HttpMethod.Post, "/progress", """{"progress":5}"""),
            (HttpMethod.Post, "/events", """{"type":"log","message":"late"}"""),
            (HttpMethod.Post, "/complete", "{}"),
            (HttpMethod.Post, "/fail", """{"error":"late"}"""),
            (HttpMethod.Post, "/cancel", "{}"),
            (HttpMethod.Patch, "", """{"title":"late"}"""),
        };
        foreach (var f in finishers)
        {
            await client.CreateTaskAsync(f.Id);
            await (await client.PostJsonAsync($"{TasksPath}/{f.Id}/{f.Path}", f.Body)).ExpectAsync(200);
            var before = await SnapshotAsync(client, f.Id);
            foreach (var a in attempts)
            {
                var problem = await ProblemAsync(await client.SendAsync(a.Method, $"{TasksPath}/{f.Id}{a.Suffix}", a.Body), 409, f.Status);
                Assert.Equal(f.Status, problem.GetProperty("currentStatus").GetString());
                Assert.Equal(f.Id, problem.GetProperty("taskId").GetString());
            }
            Assert.Equal(before, await SnapshotAsync(client, f.Id));
            Assert.Equal(2, (await EventsAsync(client, f.Id)).Count);
        }
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Event_seqs_are_1_2_3_without_gaps_even_under_concurrent_writers(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var client = host.Client(TestHost.WriteKey);
        await client.CreateTaskAsync("seq");

        var seqs = new List<long>();
        seqs.Add((await (await client.PostJsonAsync($"{TasksPath}/seq/events", """{"type":"log","message":"a"}""")).ExpectAsync(201)).GetProperty("seq").GetInt64());
        seqs.Add((await (await client.PostJsonAsync($"{TasksPath}/seq/progress", """{"progress":10}""")).ExpectAsync(200)).GetProperty("lastSeq").GetInt64());
        seqs.Add((await (await client.PatchJsonAsync($"{TasksPath}/seq", """{"title":"t"}""")).ExpectAsync(200)).GetProperty("lastSeq").GetInt64());
        Assert.Equal([2L, 3L, 4L], seqs);

        const int writers = 24;
        var responses = await Task.WhenAll(Enumerable.Range(0, writers).Select(i =>
            client.PostJsonAsync($"{TasksPath}/seq/events", $$"""{"type":"log","message":"w{{i}}"}""")));
        var returned = new List<long>();
        foreach (var r in responses)
        {
            returned.Add((await r.ExpectAsync(201)).GetProperty("seq").GetInt64());
        }
        Assert.Equal(Enumerable.Range(5, writers).Select(i => (long)i), returned.Order());

        var events = await EventsAsync(client, "seq");
        Assert.Equal(Enumerable.Range(1, 4 + writers).Select(i => (long)i), events.Select(e => e.GetProperty("seq").GetInt64()));
        var t = await SnapshotAsync(client, "seq");
        Assert.Equal(4 + writers, t.LastSeq);
        Assert.Equal(4 + writers, t.Version);
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Concurrent_creates_of_one_id_give_one_201_and_the_rest_409(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            host.Client().PostJsonAsync(TasksPath, $$"""{"id":"race","title":"t{{i}}"}""")));
        var statuses = responses.Select(r => (int)r.StatusCode).ToList();
        Assert.Equal(1, statuses.Count(s => s == 201));
        foreach (var r in responses.Where(r => (int)r.StatusCode != 201))
        {
            await ProblemAsync(r, 409, "race");
        }
        var winner = await responses.Single(r => (int)r.StatusCode == 201).Content.ReadAsStringAsync();
        var stored = await (await host.Client().GetAsync($"{TasksPath}/race")).ExpectAsync(200);
        Assert.Contains(stored.GetProperty("title").GetString()!, winner, StringComparison.Ordinal);
        Assert.Single(await EventsAsync(host.Client(), "race"));
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Concurrent_updates_with_one_if_match_let_exactly_one_win(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        await host.Client().CreateTaskAsync("p");
        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            host.Client().PatchJsonAsync($"{TasksPath}/p", $$"""{"title":"w{{i}}"}""", "\"1\"")));
        Assert.Single(responses, r => (int)r.StatusCode == 200);
        foreach (var r in responses.Where(r => (int)r.StatusCode != 200))
        {
            await ProblemAsync(r, 412, "version");
        }
        var t = await SnapshotAsync(host.Client(), "p");
        Assert.Equal(2, t.Version);
        var winner = await responses.Single(r => (int)r.StatusCode == 200).JsonAsync();
        Assert.Equal(winner.GetProperty("title").GetString(), t.Title);
        Assert.Equal(2, (await EventsAsync(host.Client(), "p")).Count);
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Concurrent_batches_over_the_same_tasks_all_succeed(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var admin = host.Client();
        await admin.CreateTaskAsync("x1");
        await admin.CreateTaskAsync("x2");
        const int rounds = 10;
        for (var i = 0; i < rounds; i++)
        {
            var forward = host.Client().PostJsonAsync($"{TasksPath}/batch", $$"""
                {"operations":[{"op":"event","id":"x1","type":"log","message":"f{{i}}"},{"op":"event","id":"x2","type":"log","message":"f{{i}}"}]}
                """);
            var backward = host.Client().PostJsonAsync($"{TasksPath}/batch", $$"""
                {"operations":[{"op":"event","id":"x2","type":"log","message":"b{{i}}"},{"op":"event","id":"x1","type":"log","message":"b{{i}}"}]}
                """);
            foreach (var r in await Task.WhenAll(forward, backward))
            {
                await r.ExpectAsync(200);
            }
        }
        foreach (var id in new[] { "x1", "x2" })
        {
            Assert.Equal(1 + 2 * rounds, (await SnapshotAsync(admin, id)).LastSeq);
            Assert.Equal(Enumerable.Range(1, 1 + 2 * rounds).Select(n => (long)n), (await EventsAsync(admin, id)).Select(e => e.GetProperty("seq").GetInt64()));
        }

        // Creating the same new ids in opposite orders: one batch wins whole, the other is a 409 that wrote nothing.
        for (var i = 0; i < rounds; i++)
        {
            var forward = host.Client().PostJsonAsync($"{TasksPath}/batch", $$"""{"operations":[{"op":"create","id":"n{{i}}-a","title":"f"},{"op":"create","id":"n{{i}}-b","title":"f"}]}""");
            var backward = host.Client().PostJsonAsync($"{TasksPath}/batch", $$"""{"operations":[{"op":"create","id":"n{{i}}-b","title":"b"},{"op":"create","id":"n{{i}}-a","title":"b"}]}""");
            var results = await Task.WhenAll(forward, backward);
            Assert.Single(results, r => (int)r.StatusCode == 200);
            await ProblemAsync(results.Single(r => (int)r.StatusCode != 200), 409, "operations[");
            Assert.Equal((await SnapshotAsync(admin, $"n{i}-a")).Title, (await SnapshotAsync(admin, $"n{i}-b")).Title);
        }
        Assert.Equal(2 + 2 * rounds, Ids(await (await admin.GetAsync($"{TasksPath}?limit=500")).ExpectAsync(200)).Count);
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Batch_applies_creates_and_updates_in_order(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var client = host.Client(TestHost.WriteKey);
        await client.CreateTaskAsync("existing");

        var r = await client.PostJsonAsync($"{TasksPath}/batch", """
            {"operations":[
              {"op":"create","id":"b1","title":"one","type":"batch"},
              {"op":"create","title":"generated"},
              {"op":"progress","id":"b1","progress":25},
              {"op":"event","id":"existing","type":"log","message":"from batch"},
              {"op":"update","id":"existing","title":"renamed"},
              {"op":"progress","id":"b1","progress":75,"message":"almost"},
              {"op":"complete","id":"b1"},
              {"op":"fail","id":"existing","error":"nope"},
              {"op":"create","id":"b3"},
              {"op":"cancel","id":"b3","reason":"not needed"}
            ]}
            """);
        var result = await r.ExpectAsync(200);
        AssertJsonType(r);
        var data = result.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(10, data.Count);
        Assert.Equal(Enumerable.Range(0, 10), data.Select(d => d.GetProperty("index").GetInt32()));
        Assert.Equal(["create", "create", "progress", "event", "update", "progress", "complete", "fail", "create", "cancel"],
            data.Select(d => d.GetProperty("op").GetString()));
        var taskIds = data.Select(d => d.GetProperty("task").GetProperty("id").GetString()).ToList();
        taskIds[1] = null;
        Assert.Equal(["b1", null, "b1", "existing", "existing", "b1", "b1", "existing", "b3", "b3"], taskIds);
        Assert.Equal([1L, 1, 2, 2, 3, 3, 4, 4, 1, 2], data.Select(d => d.GetProperty("event").GetProperty("seq").GetInt64()));
        Assert.Equal("writer", data[0].GetProperty("task").GetProperty("createdBy").GetString());
        Assert.Equal(25, data[2].GetProperty("task").GetProperty("progress").GetDouble());
        Assert.Equal("in-progress", data[2].GetProperty("task").GetProperty("status").GetString());
        Assert.Equal("almost", data[5].GetProperty("event").GetProperty("message").GetString());

        var generated = data[1].GetProperty("task").GetProperty("id").GetString()!;
        Assert.True(Guid.TryParse(generated, out _));
        await (await client.GetAsync($"{TasksPath}/{generated}")).ExpectAsync(200);

        var b1 = await SnapshotAsync(client, "b1");
        Assert.Equal(("success", 100d, 4L), (b1.Status, b1.Progress, b1.LastSeq));
        var existing = await SnapshotAsync(client, "existing");
        Assert.Equal(("failed", "renamed", 4L), (existing.Status, existing.Title, existing.LastSeq));
        Assert.Equal("canceled", (await SnapshotAsync(client, "b3")).Status);
        Assert.Equal(["log", "progress", "progress", "success"], (await EventsAsync(client, "b1")).Select(e => e.GetProperty("type").GetString()));
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Batch_with_one_failing_operation_writes_nothing(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var client = host.Client();
        await client.CreateTaskAsync("done");
        await (await client.PostJsonAsync($"{TasksPath}/done/complete", "{}")).ExpectAsync(200);
        await client.CreateTaskAsync("open");
        var doneBefore = await SnapshotAsync(client, "done");
        var openBefore = await SnapshotAsync(client, "open");

        async Task AssertNothingWrittenAsync()
        {
            await AssertMissingAsync(client, "new-1");
            await AssertMissingAsync(client, "new-2");
            Assert.Equal(doneBefore, await SnapshotAsync(client, "done"));
            Assert.Equal(openBefore, await SnapshotAsync(client, "open"));
            Assert.Equal(["open", "done"], Ids(await (await client.GetAsync(TasksPath)).ExpectAsync(200)));
        }

        // A domain failure at index 2: progress on a completed task.
        var terminal = await ProblemAsync(await client.PostJsonAsync($"{TasksPath}/batch", """
            {"operations":[
              {"op":"create","id":"new-1"},
              {"op":"progress","id":"open","progress":50},
              {"op":"progress","id":"done","progress":50},
              {"op":"create","id":"new-2"}
            ]}
            """), 409, "operations[2]", "success");
        Assert.Equal(2, terminal.GetProperty("index").GetInt32());
        Assert.Equal("success", terminal.GetProperty("currentStatus").GetString());
        await AssertNothingWrittenAsync();

        // An unknown id at index 1.
        var missing = await ProblemAsync(await client.PostJsonAsync($"{TasksPath}/batch", """
            {"operations":[
              {"op":"create","id":"new-1"},
              {"op":"event","id":"ghost","type":"log","message":"x"},
              {"op":"progress","id":"open","progress":50}
            ]}
            """), 404, "operations[1]", "ghost");
        Assert.Equal(1, missing.GetProperty("index").GetInt32());
        await AssertNothingWrittenAsync();

        // A duplicate create inside the batch at index 2.
        var duplicate = await ProblemAsync(await client.PostJsonAsync($"{TasksPath}/batch", """
            {"operations":[
              {"op":"create","id":"new-1"},
              {"op":"progress","id":"new-1","progress":1},
              {"op":"create","id":"new-1"}
            ]}
            """), 409, "operations[2]", "new-1");
        Assert.Equal(2, duplicate.GetProperty("index").GetInt32());
        await AssertNothingWrittenAsync();

        // An operation made illegal by an earlier one of the same batch.
        await ProblemAsync(await client.PostJsonAsync($"{TasksPath}/batch", """
            {"operations":[
              {"op":"create","id":"new-1"},
              {"op":"cancel","id":"open"},
              {"op":"progress","id":"open","progress":3}
            ]}
            """), 409, "operations[2]", "canceled");
        await AssertNothingWrittenAsync();

        // Invalid fields are reported for every operation, before anything runs.
        var invalid = await ProblemAsync(await client.PostJsonAsync($"{TasksPath}/batch", """
            {"operations":[
              {"op":"create","id":"new-1"},
              {"op":"progress","id":"open","progress":101},
              {"op":"launch","id":"open"},
              {"op":"event","id":"open","type":"nope","message":"m"},
              {"op":"complete"}
            ]}
            """), 400, "operations[1].progress", "operations[2].op", "operations[3].type", "operations[4].id");
        Assert.DoesNotContain(ErrorKeys(invalid), k => k.StartsWith("operations[0]", StringComparison.Ordinal));
        await AssertNothingWrittenAsync();
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Batch_takes_at_most_250_operations(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var client = host.Client();

        static string Ops(int n, string prefix) =>
            $$"""{"operations":[{{string.Join(",", Enumerable.Range(0, n).Select(i => $$"""{"op":"create","id":"{{prefix}}{{i}}"}"""))}}]}""";

        await ProblemAsync(await client.PostJsonAsync($"{TasksPath}/batch", Ops(251, "over-")), 400, "operations", "250");
        await AssertMissingAsync(client, "over-0");

        await ProblemAsync(await client.PostJsonAsync($"{TasksPath}/batch", """{"operations":[]}"""), 400, "operations");
        await ProblemAsync(await client.PostJsonAsync($"{TasksPath}/batch", "{}"), 400, "operations");

        var ok = await (await client.PostJsonAsync($"{TasksPath}/batch", Ops(250, "max-"))).ExpectAsync(200);
        Assert.Equal(250, ok.GetProperty("data").GetArrayLength());
        await (await client.GetAsync($"{TasksPath}/max-249")).ExpectAsync(200);
        // All 250 share one createdAt; pages of 100 still hold each exactly once.
        var pages = await WalkAsync(client, "", 100);
        Assert.Equal([100, 100, 50], pages.Select(p => p.Count));
        Assert.Equal(Enumerable.Range(0, 250).Select(i => $"max-{i}").Order(StringComparer.Ordinal), pages.SelectMany(p => p).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Json_is_camel_case_with_millisecond_utc_timestamps(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var client = host.Client();
        await client.CreateTaskAsync("j", ""","expiresAt":"2099-06-01T12:00:00.1234567+02:00" """);
        await (await client.PostJsonAsync($"{TasksPath}/j/progress", """{"progress":1}""")).ExpectAsync(200);
        var t = await (await client.PostJsonAsync($"{TasksPath}/j/fail", """{"error":"e"}""")).ExpectAsync(200);

        Assert.Equal(TaskFields, t.EnumerateObject().Select(p => p.Name));
        foreach (var name in new[] { "createdAt", "updatedAt", "startedAt", "failedAt", "expiresAt" })
        {
            Assert.Matches(WireTime(), t.GetProperty(name).GetString());
        }
        Assert.Equal("2099-06-01T10:00:00.123Z", t.GetProperty("expiresAt").GetString());

        var get = await (await client.GetAsync($"{TasksPath}/j")).ExpectAsync(200);
        Assert.Equal(TaskFields, get.EnumerateObject().Select(p => p.Name));
        var list = await (await client.GetAsync(TasksPath)).ExpectAsync(200);
        Assert.Equal(["data", "next"], list.EnumerateObject().Select(p => p.Name));
        Assert.Equal(TaskFields, list.GetProperty("data")[0].EnumerateObject().Select(p => p.Name));

        foreach (var e in await EventsAsync(client, "j"))
        {
            var names = e.EnumerateObject().Select(p => p.Name).ToList();
            Assert.All(names, n => Assert.True(char.IsLower(n[0]), $"'{n}' is not camelCase"));
            Assert.Contains("taskId", names);
            Assert.Matches(WireTime(), e.GetProperty("timestamp").GetString());
        }
        var events = await (await client.GetAsync($"{TasksPath}/j/events")).ExpectAsync(200);
        Assert.Equal(["data", "next"], events.EnumerateObject().Select(p => p.Name));

        var batch = await (await client.PostJsonAsync($"{TasksPath}/batch", """{"operations":[{"op":"create","id":"j2"}]}""")).ExpectAsync(200);
        Assert.Equal(["index", "op", "task", "event"], batch.GetProperty("data")[0].EnumerateObject().Select(p => p.Name));
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Expired_tasks_are_removed_by_the_sweeper(Engine engine)
    {
        var clock = new ManualTime(DateTimeOffset.UtcNow);
        await using var host = await TestHost.StartAsync(engine, time: clock);
        var client = host.Client();
        var past = Wire(DateTimeOffset.UtcNow.AddMinutes(-5));
        var future = Wire(DateTimeOffset.UtcNow.AddHours(1));

        clock.Advance(TimeSpan.FromMilliseconds(1));
        await client.CreateTaskAsync("old", $$""","expiresAt":"{{past}}" """);
        await (await client.PostJsonAsync($"{TasksPath}/old/progress", """{"progress":10}""")).ExpectAsync(200);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var ttl = await client.CreateTaskAsync("short", ""","ttlSeconds":0.2""");
        var expires = DateTimeOffset.Parse(ttl.GetProperty("expiresAt").GetString()!, CultureInfo.InvariantCulture);
        Assert.Equal(SpectralNotify.Clock.Truncate(clock.GetUtcNow().AddSeconds(0.2)), expires);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await client.CreateTaskAsync("later", $$""","expiresAt":"{{future}}" """);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var hour = await client.CreateTaskAsync("ttl-hour", ""","ttlSeconds":3600""");
        Assert.NotEqual(JsonValueKind.Null, hour.GetProperty("expiresAt").ValueKind);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await client.CreateTaskAsync("forever");

        clock.Advance(TimeSpan.FromMilliseconds(400));
        await host.Services.GetRequiredService<ExpirySweeper>().SweepOnceAsync(CancellationToken.None);

        await AssertMissingAsync(client, "old");
        await AssertMissingAsync(client, "short");
        await NotFoundAsync(await client.GetAsync($"{TasksPath}/old/events"), "old");
        await (await client.GetAsync($"{TasksPath}/later")).ExpectAsync(200);
        await (await client.GetAsync($"{TasksPath}/ttl-hour")).ExpectAsync(200);
        await (await client.GetAsync($"{TasksPath}/forever")).ExpectAsync(200);
        Assert.Equal(["forever", "ttl-hour", "later"], Ids(await (await client.GetAsync(TasksPath)).ExpectAsync(200)));

        // The id is free again.
        var reborn = await client.CreateTaskAsync("old");
        Assert.Equal(1, reborn.GetProperty("lastSeq").GetInt64());
    }

    private static string Wire(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
