using System.Text.Json;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Live.V2;

/// <summary>Live filtered lists over protocol v2: snapshot, upsert / remove, limit and refill, resume from a cursor, scopes.</summary>
public sealed class LiveV2ListTests
{
    /// <summary>What a client holds: rows by id, kept as the protocol says (sorted by updatedAt, trimmed to limit).</summary>
    private sealed class ListView(int limit)
    {
        public Dictionary<string, JsonElement> Rows { get; } = new(StringComparer.Ordinal);
        public string? Cursor { get; private set; }

        public void Apply(JsonElement m)
        {
            switch (m.Type())
            {
                case "snapshot":
                    Rows.Clear();
                    foreach (var r in m.GetProperty("rows").EnumerateArray())
                    {
                        Rows[r.GetProperty("id").GetString()!] = r;
                    }
                    break;
                case "upsert":
                    var row = m.GetProperty("row");
                    Rows[row.GetProperty("id").GetString()!] = row;
                    break;
                case "remove":
                    Rows.Remove(m.GetProperty("rowId").GetString()!);
                    break;
                case "must-refetch":
                    Rows.Clear();
                    break;
            }
            if (m.TryGetProperty("cursor", out var c))
            {
                Cursor = c.GetString();
            }
            foreach (var extra in Rows.Values.OrderByDescending(r => r.GetProperty("updatedAt").GetString(), StringComparer.Ordinal)
                .ThenByDescending(r => r.GetProperty("id").GetString(), StringComparer.Ordinal).Skip(limit).ToList())
            {
                Rows.Remove(extra.GetProperty("id").GetString()!);
            }
        }

        public IEnumerable<string> Ids => Rows.Keys.Order(StringComparer.Ordinal);
    }

    private static async Task<JsonElement> ApplyUntilAsync(V2Client live, string id, ListView view, Func<JsonElement, bool> done)
    {
        while (true)
        {
            var m = await live.NextOfAsync(id);
            Assert.NotEqual("error", m.Type());
            view.Apply(m);
            if (done(m))
            {
                return m;
            }
        }
    }

    private static async Task<List<string>> RestIdsAsync(HttpClient http, string query)
    {
        var page = await (await http.GetAsync("/api/v1/tasks?limit=200" + query)).ExpectAsync(200);
        return [.. page.GetProperty("data").EnumerateArray().Select(t => t.GetProperty("id").GetString()!).Order(StringComparer.Ordinal)];
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_filtered_list_starts_with_a_snapshot_and_follows_rows_in_and_out_of_the_filter(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var http = host.Client();
        await http.CreateTaskAsync("a", """, "type":"video", "metadata":{"team":"red"}""");
        await http.CreateTaskAsync("b", """, "type":"video", "metadata":{"team":"blue"}""");
        await http.CreateTaskAsync("c", """, "type":"audio", "metadata":{"team":"red"}""");
        await using var live = await V2Client.ConnectAsync(host);
        await live.SendAsync(new { type = "subscribe", id = "L", topic = "tasks", filter = new { type = "video", status = new[] { "pending", "in-progress" } } });
        var view = new ListView(50);
        Assert.Equal("subscribed", (await live.NextOfAsync("L")).Type());
        await ApplyUntilAsync(live, "L", view, m => m.Type() == "snapshot");
        Assert.Equal(["a", "b"], view.Ids);

        await (await http.PostJsonAsync("/api/v1/tasks/a/progress", """{"progress":40}""")).ExpectAsync(200);
        var upsert = await ApplyUntilAsync(live, "L", view, m => m.Type() == "upsert");
        Assert.Equal(40, upsert.GetProperty("row").GetProperty("progress").GetDouble());
        Assert.Equal("in-progress", view.Rows["a"].GetProperty("status").GetString());

        await (await http.PostJsonAsync("/api/v1/tasks/b/complete", "{}")).ExpectAsync(200);
        var remove = await ApplyUntilAsync(live, "L", view, m => m.Type() == "remove");
        Assert.Equal("b", remove.GetProperty("rowId").GetString());
        Assert.Equal("left-filter", remove.GetProperty("reason").GetString());

        await http.CreateTaskAsync("d", """, "type":"video" """);
        await ApplyUntilAsync(live, "L", view, m => m.Type() == "upsert");
        (await host.Client(TestHost.AdminKey).DeleteAsync("/api/v1/tasks/d")).EnsureSuccessStatusCode();
        var deleted = await ApplyUntilAsync(live, "L", view, m => m.Type() == "remove");
        Assert.Equal("deleted", deleted.GetProperty("reason").GetString());
        Assert.Equal(["a"], view.Ids);

        // A metadata filter and a filter that does not apply.
        await live.SendAsync(new { type = "subscribe", id = "M", topic = "tasks", filter = new { metadata = new { team = "red" } } });
        var red = new ListView(50);
        await ApplyUntilAsync(live, "M", red, m => m.Type() == "snapshot");
        Assert.Equal(["a", "c"], red.Ids);
        await live.SendAsync(new { type = "subscribe", id = "Q", topic = "tasks", filter = new { queue = "default" } });
        var refused = await live.NextOfAsync("Q");
        Assert.Equal("invalid-filter", refused.GetProperty("code").GetString());
        Assert.Contains("queue", refused.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_full_list_evicts_past_its_limit_and_refills_when_a_row_leaves(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var http = host.Client();
        foreach (var id in new[] { "t1", "t2", "t3", "t4" })
        {
            await http.CreateTaskAsync(id);
        }
        await using var live = await V2Client.ConnectAsync(host);
        await live.SendAsync(new { type = "subscribe", id = "L", topic = "tasks", filter = new { status = new[] { "pending", "in-progress" } }, limit = 3 });
        var view = new ListView(3);
        await ApplyUntilAsync(live, "L", view, m => m.Type() == "snapshot");
        Assert.Equal(["t2", "t3", "t4"], view.Ids);

        await http.CreateTaskAsync("t5");
        var evicted = await ApplyUntilAsync(live, "L", view, m => m.Type() == "remove");
        Assert.Equal("limit", evicted.GetProperty("reason").GetString());
        Assert.Equal("t2", evicted.GetProperty("rowId").GetString());

        // t5 completes and leaves: the next-newest matching row (t2) comes back so the list stays full.
        await (await http.PostJsonAsync("/api/v1/tasks/t5/complete", "{}")).ExpectAsync(200);
        await ApplyUntilAsync(live, "L", view, m => m.Type() == "upsert" && m.GetProperty("row").GetProperty("id").GetString() == "t2");
        Assert.Equal(["t2", "t3", "t4"], view.Ids);
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_list_resumes_from_its_cursor_with_the_rows_it_missed(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var http = host.Client();
        for (var i = 0; i < 6; i++)
        {
            await http.CreateTaskAsync($"r{i}", """, "type":"job" """);
        }
        var view = new ListView(50);
        await using (var first = await V2Client.ConnectAsync(host))
        {
            await first.SendAsync(new { type = "subscribe", id = "L", topic = "tasks", filter = new { type = "job", status = new[] { "pending", "in-progress" } } });
            await ApplyUntilAsync(first, "L", view, m => m.Type() == "snapshot");
        }
        Assert.Equal(6, view.Rows.Count);
        // While away: one progresses, one completes (leaves the filter), one is deleted, one is new.
        await (await http.PostJsonAsync("/api/v1/tasks/r0/progress", """{"progress":70}""")).ExpectAsync(200);
        await (await http.PostJsonAsync("/api/v1/tasks/r1/complete", "{}")).ExpectAsync(200);
        (await host.Client(TestHost.AdminKey).DeleteAsync("/api/v1/tasks/r2")).EnsureSuccessStatusCode();
        await http.CreateTaskAsync("r9", """, "type":"job" """);

        await using var live = await V2Client.ConnectAsync(host);
        await live.SendAsync(new { type = "subscribe", id = "L", topic = "tasks", filter = new { type = "job", status = new[] { "pending", "in-progress" } }, cursor = view.Cursor });
        var subscribed = await live.NextOfAsync("L");
        Assert.True(subscribed.GetProperty("recovered").GetBoolean());
        await ApplyUntilAsync(live, "L", view, m => m.Type() == "up-to-date");
        Assert.Equal(70, view.Rows["r0"].GetProperty("progress").GetDouble());
        Assert.Equal(await RestIdsAsync(http, "&type=job&status=pending"), view.Ids.Where(id => view.Rows[id].GetProperty("status").GetString() == "pending"));
        Assert.Equal(["r0", "r3", "r4", "r5", "r9"], view.Ids);

        // A cursor from before the retained history gets must-refetch and a fresh snapshot.
        await live.SendAsync(new { type = "subscribe", id = "old", topic = "tasks", cursor = SpectralNotify.Lists.ListCursor.Format(DateTimeOffset.UtcNow.AddDays(-3)) });
        var again = await live.NextOfAsync("old");
        Assert.False(again.GetProperty("recovered").GetBoolean());
        Assert.Equal("must-refetch", (await live.NextOfAsync("old")).Type());
        Assert.Equal("snapshot", (await live.NextOfAsync("old")).Type());
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_token_sees_only_the_rows_its_scopes_cover_and_runs_of_a_job_stream_on_the_job_topic(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var http = host.Client(TestHost.WriteKey);
        await http.CreateTaskAsync("mine");
        await http.CreateTaskAsync("other");
        var token = (await (await http.PostJsonAsync("/api/v1/tokens", """{"scopes":["read:tasks:mine"],"ttlSeconds":600}""")).ExpectAsync(201)).GetProperty("token").GetString()!;
        await using var scoped = await V2Client.ConnectAsync(host, key: null, query: "?access_token=" + token);
        await scoped.SendAsync(new { type = "subscribe", id = "L", topic = "tasks" });
        var view = new ListView(50);
        await ApplyUntilAsync(scoped, "L", view, m => m.Type() == "snapshot");
        Assert.Equal(["mine"], view.Ids);
        await (await http.PostJsonAsync("/api/v1/tasks/other/progress", """{"progress":5}""")).ExpectAsync(200);
        await (await http.PostJsonAsync("/api/v1/tasks/mine/progress", """{"progress":6}""")).ExpectAsync(200);
        var upsert = await ApplyUntilAsync(scoped, "L", view, m => m.Type() == "upsert");
        Assert.Equal("mine", upsert.GetProperty("row").GetProperty("id").GetString()); // "other" never showed

        // The job topic: every run of one job, as rows in the run's REST shape.
        await (await http.PostJsonAsync("/api/v1/jobs", """{"id":"nightly","type":"import"}""")).ExpectAsync(201);
        await using var live = await V2Client.ConnectAsync(host);
        await live.SendAsync(new { type = "subscribe", id = "J", topic = "job:nightly" });
        var runs = new ListView(50);
        await ApplyUntilAsync(live, "J", runs, m => m.Type() == "snapshot");
        Assert.Empty(runs.Rows);
        var run = await (await http.PostAsync("/api/v1/jobs/nightly/trigger", null)).ExpectAsync(202);
        var row = await ApplyUntilAsync(live, "J", runs, m => m.Type() == "upsert");
        Assert.Equal(run.GetProperty("id").GetString(), row.GetProperty("row").GetProperty("id").GetString());
        Assert.Equal("nightly", row.GetProperty("row").GetProperty("jobId").GetString());
        Assert.Equal("pending", row.GetProperty("row").GetProperty("state").GetString());
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_search_list_gets_upserts_for_matching_tasks_only_and_rest_pages_agree(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var http = host.Client();
        await http.CreateTaskAsync("rep-1", """, "title":"old", "metadata":{"team":"red"}""");
        await http.CreateTaskAsync("other-1", """, "title":"Nightly build" """);
        await using var live = await V2Client.ConnectAsync(host);
        await live.SendAsync(new { type = "subscribe", id = "S", topic = "tasks", filter = new { search = "REP" } });
        var view = new ListView(50);
        await ApplyUntilAsync(live, "S", view, m => m.Type() == "snapshot");
        Assert.Equal(["rep-1"], view.Ids);

        // The non-matching task is written first: had it been sent, it would arrive before the matching one.
        await http.CreateTaskAsync("other-2", """, "title":"Unrelated" """);
        await http.CreateTaskAsync("x-9", """, "title":"Weekly report", "metadata":{"team":"red"}""");
        var upsert = await ApplyUntilAsync(live, "S", view, m => m.Type() == "upsert");
        Assert.Equal("x-9", upsert.GetProperty("row").GetProperty("id").GetString());
        Assert.Equal(["rep-1", "x-9"], view.Ids);

        Assert.Equal(["rep-1", "x-9"], await RestIdsAsync(http, "&search=rEp"));
        Assert.Equal(["x-9"], await RestIdsAsync(http, "&search=rep&metadata=" + Uri.EscapeDataString("""{"team":"red"}""") + "&status=pending,failed&q=weekly"));
        Assert.Equal(["other-1", "other-2"], await RestIdsAsync(http, "&search=oth"));
        await (await http.GetAsync("/api/v1/tasks?status=pending,nope")).ExpectAsync(400);
        await (await http.GetAsync("/api/v1/tasks?metadata=" + Uri.EscapeDataString("[1]"))).ExpectAsync(400);
        await (await http.GetAsync("/api/v1/tasks?metadata=not-json")).ExpectAsync(400);
        await (await http.GetAsync("/api/v1/tasks?order=oldest")).ExpectAsync(400);
        // Ordered as the live list, a REST page continues where a live first page ends.
        var byUpdated = await (await http.GetAsync("/api/v1/tasks?order=updated&limit=2")).ExpectAsync(200);
        Assert.Equal(["x-9", "other-2"], byUpdated.GetProperty("data").EnumerateArray().Select(t => t.GetProperty("id").GetString()));
        var next = await (await http.GetAsync("/api/v1/tasks?order=updated&limit=2&cursor=" + byUpdated.GetProperty("next").GetString())).ExpectAsync(200);
        Assert.Equal(["other-1", "rep-1"], next.GetProperty("data").EnumerateArray().Select(t => t.GetProperty("id").GetString()));
    }
}
