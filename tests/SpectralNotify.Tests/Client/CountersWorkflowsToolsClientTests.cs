using System.Net;
using System.Text.Json;
using SpectralNotify.Client;
using SpectralNotify.Client.Models;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Client;

/// <summary>Counters, workflows and tool executions through the .NET client against a real server, on both engines.</summary>
[Collection(ClientServersCollection.Name)]
public sealed class CountersWorkflowsToolsClientTests(ClientServers servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_counter_takes_every_operation_and_pages_its_history(Engine engine)
    {
        await using var client = await servers.ClientAsync(engine);
        var name = Unique.Name("c");
        Assert.Equal(5, (await client.Counters.CreateAsync(name, 5, ct: Ct)).Value);
        Assert.Equal(8, (await client.Counters.IncrementAsync(name, 3, ct: Ct)).Value);
        Assert.Equal(7, (await client.Counters.DecrementAsync(name, ct: Ct)).Value);
        Assert.Equal(40, (await client.Counters.SetAsync(name, 40, ct: Ct)).Value);
        Assert.Equal(0, (await client.Counters.ResetAsync(name, ct: Ct)).Value);
        Assert.Equal(4, (await client.Counters.GetAsync(name, Ct)).OperationCount);
        Assert.Contains(await client.Counters.ListAsync(Ct), c => c.Name == name);

        var operations = new List<string>();
        await foreach (var entry in client.Counters.HistoryAllAsync(name, pageSize: 2, ct: Ct))
        {
            operations.Add(entry.Operation);
        }
        Assert.Equal(["create", "increment", "decrement", "set", "reset"], operations);

        var overflow = await client.Counters.SetAsync(name, long.MaxValue, ct: Ct);
        var refused = await Assert.ThrowsAsync<SpectralApiException>(() => client.Counters.IncrementAsync(name, ct: Ct));
        Assert.Equal((HttpStatusCode.Conflict, "counters.increment"), (refused.StatusCode, refused.Route));
        Assert.Equal(long.MaxValue, overflow.Value);

        await client.Counters.DeleteAsync(name, Ct);
        var gone = await Assert.ThrowsAsync<SpectralApiException>(() => client.Counters.GetAsync(name, Ct));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_workflow_rolls_up_phase_progress_and_lists_its_tasks_and_history(Engine engine)
    {
        await using var client = await servers.ClientAsync(engine);
        var id = Unique.Name("wf");
        var created = await client.Workflows.CreateAsync(new CreateWorkflowRequest
        {
            Id = id,
            Phases =
            [
                new PhaseDefinition { Key = "build", Label = "Build", Weight = 0.5 },
                new PhaseDefinition { Key = "test", Label = "Test", Weight = 0.5 },
                new PhaseDefinition { Key = "unit", Label = "Unit", Weight = 1, ParentPhaseKey = "test" },
            ],
        }, ct: Ct);
        Assert.Equal(["build", "test", "unit"], created.Phases!.Select(p => p.Key));
        await client.Tasks.CreateAsync(new CreateTaskRequest { WorkflowId = id, Sequence = 0 }, ct: Ct);

        var half = await client.Workflows.PhaseProgressAsync(id, "unit", 50, ct: Ct);
        Assert.Equal((TaskStatuses.InProgress, 25), (half.Status, half.OverallProgress));
        var parent = await Assert.ThrowsAsync<SpectralApiException>(() => client.Workflows.PhaseProgressAsync(id, "test", 10, ct: Ct));
        Assert.Equal(HttpStatusCode.Conflict, parent.StatusCode);
        await client.Workflows.CompletePhaseAsync(id, "build", ct: Ct);
        await client.Workflows.CompletePhaseAsync(id, "unit", ct: Ct);
        Assert.True((await client.Workflows.GetAsync(id, Ct)).AllPhasesDone);
        Assert.Equal(3, (await client.Workflows.ListPhasesAsync(id, Ct)).Count(p => p.Status == TaskStatuses.Success));
        Assert.Single(await client.Workflows.ListTasksAsync(id, Ct));
        var done = await client.Workflows.CompleteAsync(id, ct: Ct);
        Assert.Equal((TaskStatuses.Success, 100), (done.Status, done.OverallProgress));

        var history = new List<WorkflowEvent>();
        await foreach (var e in client.Workflows.ListEventsAllAsync(id, pageSize: 2, ct: Ct))
        {
            history.Add(e);
        }
        Assert.Equal(Enumerable.Range(1, history.Count).Select(i => (long)i), history.Select(e => e.Seq));
        Assert.Equal("success", history[^1].Type);

        var other = Unique.Name("wf");
        await client.Workflows.CreateAsync(new CreateWorkflowRequest { Id = other, Phases = [new PhaseDefinition { Key = "only", Label = "Only", Weight = 1 }] }, ct: Ct);
        Assert.Equal(TaskStatuses.Failed, (await client.Workflows.FailAsync(other, "broken", ct: Ct)).Status);
        var third = Unique.Name("wf");
        await client.Workflows.CreateAsync(new CreateWorkflowRequest { Id = third, Phases = [new PhaseDefinition { Key = "only", Label = "Only", Weight = 1 }] }, ct: Ct);
        Assert.Equal(TaskStatuses.Canceled, (await client.Workflows.CancelAsync(third, ct: Ct)).Status);

        var listed = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var w in client.Workflows.ListAllAsync(new WorkflowQuery { Limit = 2 }, Ct))
        {
            listed.Add(w.Id);
        }
        Assert.Superset(new HashSet<string>([id, other, third], StringComparer.Ordinal), listed);

        await client.Workflows.DeleteAsync(third, Ct);
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<SpectralApiException>(() => client.Workflows.GetAsync(third, Ct))).StatusCode);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Tool_executions_start_and_finish_on_a_task(Engine engine)
    {
        await using var client = await servers.ClientAsync(engine);
        var task = (await client.Tasks.CreateAsync(new CreateTaskRequest(), ct: Ct)).Id;
        var search = await client.Tools.StartAsync(task, "search", JsonSerializer.SerializeToElement(new { q = "x" }), ct: Ct);
        Assert.Equal(("running", "x"), (search.Status, search.Arguments.GetProperty("q").GetString()));
        var finished = await client.Tools.CompleteAsync(task, search.Id, JsonSerializer.SerializeToElement(new { hits = 3 }), ct: Ct);
        Assert.Equal(("success", 3), (finished.Status, finished.Output!.Value.GetProperty("hits").GetInt32()));
        Assert.NotNull(finished.DurationMs);
        var again = await Assert.ThrowsAsync<SpectralApiException>(() => client.Tools.FailAsync(task, search.Id, "late", ct: Ct));
        Assert.Equal((HttpStatusCode.Conflict, "tools.fail"), (again.StatusCode, again.Route));

        var fetch = await client.Tools.StartAsync(task, "fetch", ct: Ct);
        var failed = await client.Tools.FailAsync(task, fetch.Id, "404", ct: Ct);
        Assert.Equal(("failed", "404"), (failed.Status, failed.Error));
        var slow = await client.Tools.StartAsync(task, "slow", ct: Ct);
        Assert.Equal("timeout", (await client.Tools.TimeoutAsync(task, slow.Id, ct: Ct)).Status);
        Assert.Equal(["search", "fetch", "slow"], (await client.Tools.ListAsync(task, Ct)).Select(t => t.ToolName));
    }
}
