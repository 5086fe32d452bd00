using SpectralNotify.Client.Live;
using SpectralNotify.Client.Models;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Client.Live;

/// <summary>A resume that cannot be honoured is never a silent skip: a re-created task comes back as a reset carrying its new snapshot.</summary>
public sealed class LiveResetTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_task_deleted_and_created_again_while_the_client_was_away_comes_back_as_a_reset_with_its_snapshot(Engine engine)
    {
        await using var server = await KillableServer.StartAsync(engine, "live-reset");
        var http = server.Http;
        await http.CreateTaskAsync("t");
        await (await http.PostJsonAsync("/api/v1/tasks/t/progress", """{"progress":10}""")).ExpectAsync(200);
        using var retry = new GatedRetryPolicy();
        await using var client = server.Client(retry);
        var reconnecting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reconnected = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Live.Reconnecting += _ => { reconnecting.TrySetResult(); return Task.CompletedTask; };
        client.Live.Reconnected += recovered => { reconnected.TrySetResult(recovered); return Task.CompletedTask; };
        var watch = new LiveRecorder<LiveChange<SpectralTask, TaskEvent>>(client.Live.WatchTaskAsync("t"));
        var first = await watch.WaitForAsync(c => c.Kind == LiveChangeKind.Snapshot, "the snapshot", Wait);
        await (await http.PostJsonAsync("/api/v1/tasks/t/progress", """{"progress":20}""")).ExpectAsync(200);
        await watch.WaitForAsync(c => c.Seq == 3, "the change before the outage", Wait);

        retry.Close();
        await server.KillAsync();
        await reconnecting.Task.WaitAsync(Wait);
        await server.RestartAsync();
        (await http.DeleteAsync("/api/v1/tasks/t")).EnsureSuccessStatusCode();
        await http.CreateTaskAsync("t");
        await (await http.PostJsonAsync("/api/v1/tasks/t/progress", """{"progress":5}""")).ExpectAsync(200);
        retry.Open();
        Assert.False(await reconnected.Task.WaitAsync(Wait), "a watch could not resume, so the reconnect is not recovered");

        var reset = await watch.WaitForAsync(c => c.Kind == LiveChangeKind.Reset, "the reset", Wait);
        Assert.Equal(2, reset.Seq);
        Assert.Equal(5, reset.Entity?.Progress);
        Assert.NotEqual(first.Epoch, reset.Epoch);
        await (await http.PostJsonAsync("/api/v1/tasks/t/progress", """{"progress":6}""")).ExpectAsync(200);
        await (await http.PostJsonAsync("/api/v1/tasks/t/complete", "{}")).ExpectAsync(200);
        await watch.Completion.WaitAsync(Wait);

        var items = watch.Items;
        Assert.Equal(
            [(LiveChangeKind.Snapshot, 2L), (LiveChangeKind.Change, 3), (LiveChangeKind.Reset, 2), (LiveChangeKind.Change, 3), (LiveChangeKind.Change, 4), (LiveChangeKind.End, 4)],
            items.Select(c => (c.Kind, c.Seq)));
        Assert.All(items.Skip(3).Where(c => c.Kind == LiveChangeKind.Change), c => Assert.Equal(reset.Epoch, c.Epoch));
    }
}
