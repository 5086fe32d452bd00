using SpectralNotify.Client.Live;
using SpectralNotify.Client.Models;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Client.Live;

/// <summary>The token provider is asked for a fresh token on every connect, so a reconnect never presents a stale one.</summary>
public sealed class LiveCredentialTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_token_provider_is_called_again_on_every_reconnect()
    {
        await using var server = await KillableServer.StartAsync(Engine.Sqlite, "live-token");
        var http = server.Http;
        await http.CreateTaskAsync("t");
        var calls = 0;
        async ValueTask<string?> Tokens(CancellationToken ct)
        {
            Interlocked.Increment(ref calls);
            return await TokenClients.MintAsync(http, """["read:tasks:t"]""");
        }
        using var retry = new GatedRetryPolicy();
        await using var client = server.Client(retry, Tokens);
        var reconnecting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reconnected = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Live.Reconnecting += _ => { reconnecting.TrySetResult(); return Task.CompletedTask; };
        client.Live.Reconnected += recovered => { reconnected.TrySetResult(recovered); return Task.CompletedTask; };
        var watch = new LiveRecorder<LiveChange<SpectralTask, TaskEvent>>(client.Live.WatchTaskAsync("t"));
        await watch.WaitForAsync(c => c.Kind == LiveChangeKind.Snapshot, "the snapshot", Wait);
        Assert.Equal(1, Volatile.Read(ref calls));

        retry.Close();
        await server.KillAsync();
        await reconnecting.Task.WaitAsync(Wait);
        await server.RestartAsync();
        await (await http.PostJsonAsync("/api/v1/tasks/t/progress", """{"progress":50}""")).ExpectAsync(200);
        retry.Open();
        Assert.True(await reconnected.Task.WaitAsync(Wait));
        Assert.True(Volatile.Read(ref calls) >= 2, $"the provider was called {calls} times");
        var missed = await watch.WaitForAsync(c => c.Kind == LiveChangeKind.Change, "the change made while away", Wait);
        Assert.Equal(2, missed.Seq);
    }

    [Fact]
    public async Task Disposing_the_client_ends_every_watch_without_an_error()
    {
        await using var host = await TestHost.StartAsync(Engine.Sqlite);
        await host.Client().CreateTaskAsync("t");
        var client = SpectralNotify.Client.SpectralClient.Create(new() { BaseAddress = host.BaseAddress, ApiKey = TestHost.AdminKey });
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Live.Closed += e => { closed.TrySetResult(e); return Task.CompletedTask; };
        var task = new LiveRecorder<LiveChange<SpectralTask, TaskEvent>>(client.Live.WatchTaskAsync("t"));
        var counter = new LiveRecorder<LiveChange<Counter, CounterHistoryEntry>>(client.Live.WatchCounterAsync("never-made"));
        var list = new LiveRecorder<LiveListChange<SpectralTask>>(client.Live.WatchTasksAsync());
        await task.WaitForAsync(c => c.Kind == LiveChangeKind.Snapshot, "the task's snapshot", Wait);
        var nothing = await counter.WaitForAsync(c => c.Kind == LiveChangeKind.Snapshot, "the counter's snapshot", Wait);
        Assert.Null(nothing.Entity);
        await list.WaitForAsync(c => c.Kind == LiveListChangeKind.Snapshot, "the list's snapshot", Wait);

        await client.DisposeAsync();
        await Task.WhenAll(task.Completion, counter.Completion, list.Completion).WaitAsync(Wait);
        Assert.Null(await closed.Task.WaitAsync(Wait));
    }
}
