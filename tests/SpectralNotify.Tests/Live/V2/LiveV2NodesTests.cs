using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Live.V2;

/// <summary>Protocol v2 across two servers on one PostgreSQL database: writes on one node reach entity and list subscriptions on the other.</summary>
public sealed class LiveV2NodesTests
{
    [Fact]
    public async Task Changes_made_on_node_B_reach_an_entity_topic_a_run_topic_and_a_list_on_node_A()
    {
        await using var db = await TestDatabase.CreateAsync(Engine.Postgres);
        await using var a = await TestHost.StartAsync(Engine.Postgres, db: db);
        await using var b = await TestHost.StartAsync(Engine.Postgres, db: db);
        var onB = b.Client();
        await onB.CreateTaskAsync("shared", """, "type":"render" """);

        await using var live = await V2Client.ConnectAsync(a);
        await live.SendAsync(new { type = "subscribe", id = "T", topic = "task:shared" });
        await live.NextOfAsync("T");
        await live.SendAsync(new { type = "subscribe", id = "L", topic = "tasks", filter = new { type = "render" } });
        await live.NextAsync(m => m.Type() == "snapshot" && m.GetProperty("id").GetString() == "L");
        await live.SendAsync(new { type = "subscribe", id = "R", topic = "runs", filter = new { queue = "imports" } });
        await live.NextAsync(m => m.Type() == "snapshot" && m.GetProperty("id").GetString() == "R");

        for (var i = 1; i <= 5; i++)
        {
            await (await onB.PostJsonAsync("/api/v1/tasks/shared/progress", $$"""{"progress":{{i * 10}}}""")).ExpectAsync(200);
        }
        var changes = await live.ChangesThroughAsync("T", 6);
        Assert.Equal([2L, 3, 4, 5, 6], changes.Select(m => m.GetProperty("seq").GetInt64()));
        var row = await live.NextAsync(m => m.Type() == "upsert" && m.GetProperty("id").GetString() == "L"
            && m.GetProperty("row").GetProperty("progress").GetDouble() == 50);
        Assert.Equal("shared", row.GetProperty("row").GetProperty("id").GetString());

        // A run enqueued on B (announced across nodes by position only) shows up in A's runs list.
        var enqueued = await (await onB.PostJsonAsync("/api/v1/runs", """{"runs":[{"type":"import","queue":"imports"}]}""")).ExpectAsync(201);
        var runId = enqueued.GetProperty("runs")[0].GetProperty("id").GetString();
        var run = await live.NextAsync(m => m.Type() == "upsert" && m.GetProperty("id").GetString() == "R");
        Assert.Equal(runId, run.GetProperty("row").GetProperty("id").GetString());
        Assert.Equal("imports", run.GetProperty("row").GetProperty("queue").GetString());
    }
}
