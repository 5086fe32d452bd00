using System.Text.Json;
using SpectralNotify.Client.Live;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Client.Live;

/// <summary>A task watch of the .NET client against a real server: the snapshot, every change once and in order, the end.</summary>
public sealed class LiveTaskWatchTests
{
    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_task_watch_yields_the_snapshot_then_each_change_and_ends_with_the_task(Engine engine)
    {
        await using var server = await KillableServer.StartAsync(engine, "live-task");
        var http = server.Http;
        await http.CreateTaskAsync("t1");
        using var retry = new GatedRetryPolicy();
        await using var client = server.Client(retry);
        var watch = new LiveRecorder<LiveChange<JsonElement, JsonElement>>(client.Live.WatchAsync<JsonElement, JsonElement>("task:t1"));
        var snapshot = await watch.WaitForAsync(c => c.Kind == LiveChangeKind.Snapshot, "the snapshot");
        Assert.Equal(1, snapshot.Seq);
        Assert.Equal("t1", snapshot.Entity.GetProperty("id").GetString());

        await (await http.PostJsonAsync("/api/v1/tasks/t1/progress", """{"progress":30,"message":"a third"}""")).ExpectAsync(200);
        await (await http.PostJsonAsync("/api/v1/tasks/t1/events", """{"type":"log","message":"hello"}""")).ExpectAsync(201);
        await (await http.PostJsonAsync("/api/v1/tasks/t1/complete", "{}")).ExpectAsync(200);
        await watch.Completion.WaitAsync(TimeSpan.FromSeconds(30));

        var items = watch.Items;
        Assert.Equal([LiveChangeKind.Snapshot, LiveChangeKind.Change, LiveChangeKind.Change, LiveChangeKind.Change, LiveChangeKind.End], items.Select(c => c.Kind));
        Assert.Equal([1L, 2, 3, 4, 4], items.Select(c => c.Seq));
        Assert.Equal(30, items[1].Entity.GetProperty("progress").GetDouble());
        Assert.Equal("hello", items[2].Event.GetProperty("message").GetString());
        Assert.Equal("success", items[3].Entity.GetProperty("status").GetString());
        Assert.Equal("success", items[4].EndReason);
        Assert.All(items, c => Assert.Equal(snapshot.Epoch, c.Epoch));
    }
}
