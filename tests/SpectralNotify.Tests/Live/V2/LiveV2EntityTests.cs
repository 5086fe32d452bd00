using System.Text.Json;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Live.V2;

/// <summary>Protocol v2 entity topics on one multiplexed connection: REST shapes, resume by seq + epoch, end, per-subscription errors.</summary>
public sealed class LiveV2EntityTests
{
    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task One_connection_carries_several_entities_in_their_REST_shapes_each_seq_once_in_order(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var http = host.Client();
        await http.CreateTaskAsync("a");
        await http.CreateTaskAsync("b");
        await (await http.PostJsonAsync("/api/v1/counters", """{"name":"c"}""")).ExpectAsync(201);
        await using var live = await V2Client.ConnectAsync(host);
        await live.SendAsync(new { type = "subscribe", id = "A", topic = "task:a", snapshot = true });
        var subscribed = await live.NextOfAsync("A");
        Assert.Equal("subscribed", subscribed.Type());
        Assert.Equal(1, subscribed.GetProperty("seq").GetInt64());
        Assert.False(subscribed.GetProperty("recovered").GetBoolean());
        var snapshot = await live.NextOfAsync("A");
        Assert.Equal("snapshot", snapshot.Type());
        var rest = await (await http.GetAsync("/api/v1/tasks/a")).ExpectAsync(200);
        Assert.Equal(rest.GetRawText(), snapshot.GetProperty("entity").GetRawText()); // the REST shape, byte for byte
        await live.SendAsync(new { type = "subscribe", id = "B", topic = "task:b" });
        Assert.Equal("subscribed", (await live.NextOfAsync("B")).Type());
        await live.SendAsync(new { type = "subscribe", id = "C", topic = "counter:c" });
        Assert.Equal("subscribed", (await live.NextOfAsync("C")).Type());

        for (var i = 0; i < 5; i++)
        {
            await (await http.PostJsonAsync("/api/v1/tasks/a/progress", $$"""{"progress":{{(i + 1) * 10}},"message":"step {{i}}"}""")).ExpectAsync(200);
            await (await http.PostJsonAsync("/api/v1/tasks/b/events", $$"""{"type":"log","message":"b{{i}}"}""")).ExpectAsync(201);
        }
        await (await http.PostJsonAsync("/api/v1/counters/c/increment", "{}")).ExpectAsync(200);

        var a = await live.ChangesThroughAsync("A", 6);
        Assert.Equal([2L, 3, 4, 5, 6], a.Select(m => m.GetProperty("seq").GetInt64()));
        var last = a[^1];
        Assert.Equal("progress", last.GetProperty("event").GetProperty("type").GetString());
        Assert.Equal("step 4", last.GetProperty("event").GetProperty("message").GetString());
        Assert.Equal(50, last.GetProperty("entity").GetProperty("progress").GetDouble());
        Assert.Equal("a", last.GetProperty("entity").GetProperty("id").GetString()); // the REST id, not the reference's number
        Assert.Equal(subscribed.GetProperty("epoch").GetString(), last.GetProperty("epoch").GetString());
        var b = live.Received.Where(m => m.TryGetProperty("id", out var i) && i.GetString() == "B" && m.Type() == "change").ToList();
        b.AddRange(await live.ChangesThroughAsync("B", 6) is var more ? more.Where(m => !b.Any(x => x.GetProperty("seq").GetInt64() == m.GetProperty("seq").GetInt64())) : []);
        Assert.Equal([2L, 3, 4, 5, 6], b.Select(m => m.GetProperty("seq").GetInt64()));
        var c = await live.ChangesThroughAsync("C", 2);
        Assert.Equal(1, c[^1].GetProperty("entity").GetProperty("value").GetInt64());
        Assert.Equal("increment", c[^1].GetProperty("event").GetProperty("operation").GetString());
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Resume_in_the_same_epoch_replays_exactly_and_a_recreated_task_is_not_recovered(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var http = host.Client();
        await http.CreateTaskAsync("t");
        for (var i = 0; i < 4; i++)
        {
            await (await http.PostJsonAsync("/api/v1/tasks/t/events", $$"""{"type":"log","message":"m{{i}}"}""")).ExpectAsync(201);
        }
        string epoch;
        await using (var first = await V2Client.ConnectAsync(host))
        {
            await first.SendAsync(new { type = "subscribe", id = "s", topic = "task:t", snapshot = true });
            epoch = (await first.NextOfAsync("s")).GetProperty("epoch").GetString()!;
        }
        await using var live = await V2Client.ConnectAsync(host);
        await live.SendAsync(new { type = "subscribe", id = "s", topic = "task:t", after = 2, epoch });
        var subscribed = await live.NextOfAsync("s");
        Assert.True(subscribed.GetProperty("recovered").GetBoolean());
        Assert.Equal(2, subscribed.GetProperty("seq").GetInt64());
        var replay = await live.ChangesThroughAsync("s", 5);
        Assert.Equal([3L, 4, 5], replay.Select(m => m.GetProperty("seq").GetInt64()));

        // Deleted: the stream ends with reason "deleted" and the subscription closes.
        var admin = host.Client(TestHost.AdminKey);
        (await admin.DeleteAsync("/api/v1/tasks/t")).EnsureSuccessStatusCode();
        var end = await live.NextOfAsync("s");
        Assert.Equal("end", end.Type());
        Assert.Equal("deleted", end.GetProperty("reason").GetString());

        // Re-created: a resume with the old epoch is told so and gets a snapshot, never a silent skip.
        await http.CreateTaskAsync("t");
        await live.SendAsync(new { type = "subscribe", id = "s", topic = "task:t", after = 5, epoch });
        var again = await live.NextOfAsync("s");
        Assert.Equal("subscribed", again.Type());
        Assert.False(again.GetProperty("recovered").GetBoolean());
        Assert.NotEqual(epoch, again.GetProperty("epoch").GetString());
        Assert.Equal(1, again.GetProperty("seq").GetInt64());
        var snapshot = await live.NextOfAsync("s");
        Assert.Equal("snapshot", snapshot.Type());
        Assert.Equal("pending", snapshot.GetProperty("entity").GetProperty("status").GetString());
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_terminal_change_is_followed_by_end_and_closes_the_subscription_unless_it_follows(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var http = host.Client();
        await http.CreateTaskAsync("t");
        await using var live = await V2Client.ConnectAsync(host);
        await live.SendAsync(new { type = "subscribe", id = "once", topic = "task:t" });
        await live.SendAsync(new { type = "subscribe", id = "follow", topic = "task:t", follow = true });
        await live.NextAsync(m => m.Type() == "subscribed" && m.GetProperty("id").GetString() == "follow");
        await (await http.PostJsonAsync("/api/v1/tasks/t/complete", "{}")).ExpectAsync(200);
        var change = await live.NextOfAsync("once");
        Assert.Equal("change", change.Type());
        Assert.Equal("success", change.GetProperty("entity").GetProperty("status").GetString());
        var end = await live.NextOfAsync("once");
        Assert.Equal("end", end.Type());
        Assert.Equal("success", end.GetProperty("reason").GetString());
        Assert.Equal(2, end.GetProperty("seq").GetInt64());

        // "once" is closed, so its id is free again; subscribed to the task that has already ended, it
        // gets that end at once (a watch opened after the end still ends); "follow" still gets the deletion.
        await live.SendAsync(new { type = "subscribe", id = "once", topic = "task:t" });
        Assert.Equal("subscribed", (await live.NextOfAsync("once")).Type());
        var endedAlready = await live.NextOfAsync("once");
        Assert.Equal("end", endedAlready.Type());
        Assert.Equal("success", endedAlready.GetProperty("reason").GetString());
        Assert.Equal(2, endedAlready.GetProperty("seq").GetInt64());
        (await host.Client(TestHost.AdminKey).DeleteAsync("/api/v1/tasks/t")).EnsureSuccessStatusCode();
        var deleted = await live.NextAsync(m => m.Type() == "end" && m.GetProperty("id").GetString() == "follow" && m.GetProperty("reason").GetString() == "deleted");
        Assert.Equal(0, deleted.GetProperty("seq").GetInt64());
        await http.CreateTaskAsync("t");
        var reborn = await live.NextAsync(m => m.Type() == "change" && m.GetProperty("id").GetString() == "follow");
        Assert.Equal(1, reborn.GetProperty("seq").GetInt64());
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Bad_subscriptions_get_an_error_each_and_the_connection_goes_on(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine, new Dictionary<string, string?> { ["Spectral:LiveMaxSubscriptions"] = "2" });
        var http = host.Client();
        await http.CreateTaskAsync("t");
        await using var live = await V2Client.ConnectAsync(host);
        await live.SendRawAsync("not json");
        Assert.Equal("bad-request", (await live.NextAsync(m => m.Type() == "error")).GetProperty("code").GetString());
        await live.SendAsync(new { type = "subscribe", id = "x", topic = "planet:mars" });
        Assert.Equal("invalid-topic", (await live.NextOfAsync("x")).GetProperty("code").GetString());
        await live.SendAsync(new { type = "subscribe", id = "y", topic = "task:t", after = -1 });
        Assert.Equal("bad-request", (await live.NextOfAsync("y")).GetProperty("code").GetString());
        await live.SendAsync(new { type = "subscribe", id = "ok", topic = "task:t" });
        Assert.Equal("subscribed", (await live.NextOfAsync("ok")).Type());
        await live.SendAsync(new { type = "subscribe", id = "ok", topic = "task:t" });
        Assert.Equal("duplicate-id", (await live.NextOfAsync("ok")).GetProperty("code").GetString());
        await live.SendAsync(new { type = "subscribe", id = "two", topic = "counter:none" });
        Assert.Equal("subscribed", (await live.NextOfAsync("two")).Type());
        await live.SendAsync(new { type = "subscribe", id = "three", topic = "task:t" });
        Assert.Equal("too-many-subscriptions", (await live.NextOfAsync("three")).GetProperty("code").GetString());
        await live.SendAsync(new { type = "unsubscribe", id = "two" });
        Assert.Equal("unsubscribed", (await live.NextOfAsync("two")).Type());
        await live.SendAsync(new { type = "ping" });
        await live.NextAsync(m => m.Type() == "pong");
        // Still live after all of that.
        await (await http.PostJsonAsync("/api/v1/tasks/t/events", """{"type":"log","message":"still here"}""")).ExpectAsync(201);
        var change = await live.NextOfAsync("ok");
        Assert.Equal("still here", change.GetProperty("event").GetProperty("message").GetString());
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_token_scoped_to_one_task_cannot_subscribe_to_another(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var http = host.Client(TestHost.WriteKey);
        await http.CreateTaskAsync("mine");
        await http.CreateTaskAsync("theirs");
        var minted = await (await http.PostJsonAsync("/api/v1/tokens", """{"scopes":["read:tasks:mine"],"ttlSeconds":600}""")).ExpectAsync(201);
        var token = minted.GetProperty("token").GetString()!;
        await using var live = await V2Client.ConnectAsync(host, key: null, query: "?access_token=" + token);
        await live.SendAsync(new { type = "subscribe", id = "m", topic = "task:mine" });
        Assert.Equal("subscribed", (await live.NextOfAsync("m")).Type());
        await live.SendAsync(new { type = "subscribe", id = "t", topic = "task:theirs" });
        Assert.Equal("forbidden", (await live.NextOfAsync("t")).GetProperty("code").GetString());
        await live.SendAsync(new { type = "subscribe", id = "l", topic = "workflows" });
        Assert.Equal("forbidden", (await live.NextOfAsync("l")).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_connection_without_credentials_is_refused_before_the_upgrade()
    {
        await using var host = await TestHost.StartAsync(Engine.Sqlite);
        var ex = await Assert.ThrowsAnyAsync<System.Net.WebSockets.WebSocketException>(() => host.ConnectAsync("/api/v1/live", key: null));
        Assert.Contains("401", ex.Message, StringComparison.Ordinal);
    }
}
