using SpectralNotify.Client;
using SpectralNotify.Client.Models;
using SpectralNotify.Client.Producer;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Client;

/// <summary>The producer helper (<c>Tasks.StartAsync</c> / <c>Tasks.RunAsync</c>) against a real server, on both engines.</summary>
[Collection(ClientServersCollection.Name)]
public sealed class ProducerTests(ClientServers servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_burst_of_reports_is_coalesced_into_few_requests_in_order_ending_with_the_last_value(Engine engine)
    {
        await using var client = await servers.ClientAsync(engine);
        string id;
        await using (var task = await client.Tasks.StartAsync(new CreateTaskRequest { Title = "burst" }, Ct))
        {
            id = task.Id;
            Assert.Equal(TaskStatuses.InProgress, task.Task.Status);
            for (var i = 1; i <= 1000; i++)
            {
                await task.ReportAsync(i / 10.0, i == 1000 ? "last" : null, Ct);
            }
            var done = await task.CompleteAsync(ct: Ct);
            Assert.Equal(TaskStatuses.Success, done.Status);
        }

        var events = new List<TaskEvent>();
        await foreach (var e in client.Tasks.ListEventsAllAsync(id, ct: Ct))
        {
            events.Add(e);
        }
        // Every progress request appends one event: their number is the number of requests sent.
        var progress = events.Where(e => e.Type == TaskEventTypes.Progress).ToList();
        Assert.InRange(progress.Count, 1, 100);
        Assert.Equal(100.0, progress[^1].Progress);
        Assert.Equal("last", progress[^1].Message);
        var values = progress.Select(e => e.Progress!.Value).ToList();
        Assert.Equal(values.Order(), values);
        Assert.Equal(TaskEventTypes.Success, events[^1].Type);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task RunAsync_fails_the_task_with_the_exception_and_rethrows_it(Engine engine)
    {
        await using var client = await servers.ClientAsync(engine);
        string? id = null;
        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => client.Tasks.RunAsync(new CreateTaskRequest { Title = "fails" }, async (task, ct) =>
        {
            id = task.Id;
            task.AsProgress().Report(30);
            await task.ReportAsync(35, "almost", ct);
            throw new InvalidOperationException("disk full");
        }, Ct));
        Assert.Equal("disk full", thrown.Message);

        var failed = await client.Tasks.GetAsync(id!, Ct);
        Assert.Equal(TaskStatuses.Failed, failed.Status);
        Assert.Equal("System.InvalidOperationException: disk full", failed.Error);
        var error = (await client.Tasks.ListEventsAsync(id!, ct: Ct)).Data[^1];
        Assert.Equal((TaskEventTypes.Error, "System.InvalidOperationException"), (error.Type, error.Metadata!.Value.GetProperty("exceptionType").GetString()));
        // The last report reached the server before the failure.
        Assert.Equal(35, failed.Progress);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task RunAsync_completes_the_task_when_the_work_returns(Engine engine)
    {
        await using var client = await servers.ClientAsync(engine);
        string? id = null;
        var ended = await client.Tasks.RunAsync(new CreateTaskRequest { Title = "works" }, async (task, ct) =>
        {
            id = task.Id;
            var progress = task.AsProgress();
            for (var i = 0; i <= 50; i++)
            {
                progress.Report(i);
            }
            await task.LogAsync("halfway", ct: ct);
        }, Ct);
        Assert.Equal((id, TaskStatuses.Success, 100.0), (ended.Id, ended.Status, ended.Progress));

        var history = (await client.Tasks.ListEventsAsync(id!, ct: Ct)).Data;
        // The log was written after the reports made before it.
        var log = history.Single(e => e.Message == "halfway");
        Assert.Equal(50, history.Last(e => e.Type == TaskEventTypes.Progress && e.Seq < log.Seq).Progress);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_scope_disposed_without_an_end_fails_its_task_and_refuses_later_reports(Engine engine)
    {
        await using var client = await servers.ClientAsync(engine);
        TaskScope scope;
        await using (scope = await client.Tasks.StartAsync(new CreateTaskRequest(), Ct))
        {
            await scope.ReportAsync(10, ct: Ct);
        }
        var abandoned = await client.Tasks.GetAsync(scope.Id, Ct);
        Assert.Equal((TaskStatuses.Failed, TaskScope.AbandonedError), (abandoned.Status, abandoned.Error));
        await Assert.ThrowsAsync<InvalidOperationException>(() => scope.ReportAsync(20, ct: Ct));
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_report_the_server_refuses_is_thrown_by_the_next_report(Engine engine)
    {
        await using var client = await servers.ClientAsync(engine);
        await using var scope = await client.Tasks.StartAsync(new CreateTaskRequest(), Ct);
        // Someone else ends the task: the scope's next request is refused with 409.
        await client.Tasks.CancelAsync(scope.Id, "stop", ct: Ct);
        await scope.ReportAsync(10, ct: Ct);
        var refused = await Assert.ThrowsAsync<SpectralApiException>(() => scope.FlushAsync(Ct));
        Assert.Equal(System.Net.HttpStatusCode.Conflict, refused.StatusCode);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => scope.ReportAsync(101, ct: Ct));
    }
}
