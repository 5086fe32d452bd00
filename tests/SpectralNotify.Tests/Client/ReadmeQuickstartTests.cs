using SpectralNotify.Client;
using SpectralNotify.Client.Live;
using SpectralNotify.Client.Models;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Client;

/// <summary>
/// README's ".NET quickstart", statement for statement, against a real server: it compiles, reports
/// progress, and the watch replays the whole history and ends with the task.
/// </summary>
[Collection(ClientServersCollection.Name)]
public sealed class ReadmeQuickstartTests(ClientServers servers)
{
    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task The_readme_quickstart_reports_progress_and_watches_it(Engine engine)
    {
        var server = await servers.ServerAsync(engine);
        var key = TestHost.AdminKey;
        var id = $"encode-{Guid.NewGuid():N}";
        static Task EncodeChunkAsync(int i) => Task.CompletedTask;

        // --- README.md, ".NET quickstart" (with the server's address and a unique id) ---
        await using var client = SpectralClient.Create(new() { BaseAddress = server.BaseAddress, ApiKey = key });
        await using (var task = await client.Tasks.StartAsync(new CreateTaskRequest { Id = id, Title = "Encode" }))
        {
            for (var i = 1; i <= 100; i++) { await EncodeChunkAsync(i); await task.ReportAsync(i); } // bursts coalesce
            await task.CompleteAsync();
        }
        var changes = new List<LiveChange<SpectralTask, TaskEvent>>();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(60)); // a watch that never ends fails the test instead of hanging the run
        await foreach (var change in client.Live.WatchTaskAsync(id, ct: deadline.Token))
            changes.Add(change);
        // --- end of the README code ---

        Assert.Equal(LiveChangeKind.End, changes[^1].Kind);
        var last = changes.Last(c => c.Entity is not null).Entity!;
        Assert.Equal(TaskStatuses.Success, last.Status);
        Assert.Equal(100, last.Progress);
    }
}
