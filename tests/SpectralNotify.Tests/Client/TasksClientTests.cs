using System.Net;
using System.Text.Json;
using SpectralNotify.Client;
using SpectralNotify.Client.Models;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Client;

/// <summary>The task calls of the .NET client against a real server, on both engines.</summary>
[Collection(ClientServersCollection.Name)]
public sealed class TasksClientTests(ClientServers servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_task_is_created_reported_on_and_finished_with_its_history_in_order(Engine engine)
    {
        await using var client = await servers.ClientAsync(engine);
        var id = Unique.Name("t");
        var created = await client.Tasks.CreateAsync(new CreateTaskRequest
        {
            Id = id, Title = "Encode", Metadata = JsonSerializer.SerializeToElement(new { file = "a.mp4" }),
        }, ct: Ct);
        Assert.Equal((id, TaskStatuses.Pending, "a.mp4"), (created.Id, created.Status, created.Metadata.GetProperty("file").GetString()));

        var progressed = await client.Tasks.ProgressAsync(id, 42.5, "half way", ct: Ct);
        Assert.Equal((TaskStatuses.InProgress, 42.5), (progressed.Status, progressed.Progress));
        var logged = await client.Tasks.AddEventAsync(id, new AddEventRequest { Type = TaskEventTypes.Log, Message = "pass 2" }, ct: Ct);
        Assert.Equal(3, logged.Seq);
        var current = await client.Tasks.GetAsync(id, Ct);
        var updated = await client.Tasks.UpdateAsync(id, new UpdateTaskRequest { Title = "Encode 2" },
            new RequestOptions { IfMatch = current.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) }, Ct);
        Assert.Equal("Encode 2", updated.Title);
        var done = await client.Tasks.CompleteAsync(id, ct: Ct);
        Assert.Equal((TaskStatuses.Success, 100.0), (done.Status, done.Progress));

        var history = await client.Tasks.ListEventsAsync(id, ct: Ct);
        Assert.Equal([1L, 2, 3, 4, 5], history.Data.Select(e => e.Seq));
        Assert.Equal(["log", "progress", "log", "log", "success"], history.Data.Select(e => e.Type));
        Assert.Null(history.Next);
        Assert.Equal("Encode 2", (await client.Tasks.GetAsync(id, Ct)).Title);

        await client.Tasks.DeleteAsync(id, Ct);
        var gone = await Assert.ThrowsAsync<SpectralApiException>(() => client.Tasks.GetAsync(id, Ct));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Errors_carry_the_status_the_route_and_the_problem_details(Engine engine)
    {
        await using var client = await servers.ClientAsync(engine);
        var missing = Unique.Name("missing");
        var notFound = await Assert.ThrowsAsync<SpectralApiException>(() => client.Tasks.GetAsync(missing, Ct));
        Assert.Equal((HttpStatusCode.NotFound, "tasks.get", "Task not found", 404), (notFound.StatusCode, notFound.Route, notFound.Problem.Title, notFound.Problem.Status));
        Assert.Contains(missing, notFound.Problem.Detail, StringComparison.Ordinal);
        Assert.Equal(missing, notFound.Problem.Extensions!["taskId"].GetString());

        var id = Unique.Name("t");
        var first = await client.Tasks.CreateAsync(new CreateTaskRequest { Id = id }, ct: Ct);
        var duplicate = await Assert.ThrowsAsync<SpectralApiException>(() => client.Tasks.CreateAsync(new CreateTaskRequest { Id = id }, ct: Ct));
        Assert.Equal((HttpStatusCode.Conflict, "tasks.create"), (duplicate.StatusCode, duplicate.Route));

        // A write that expects an older version is refused, naming the versions.
        await client.Tasks.ProgressAsync(id, 10, ct: Ct);
        var stale = await Assert.ThrowsAsync<SpectralApiException>(() =>
            client.Tasks.UpdateAsync(id, new UpdateTaskRequest { Title = "late" }, new RequestOptions { IfMatch = $"\"{first.Version}\"" }, Ct));
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.NotNull(stale.Problem.Title);

        // A terminal task refuses changes with 409 and its status.
        await client.Tasks.FailAsync(id, "boom", ct: Ct);
        var terminal = await Assert.ThrowsAsync<SpectralApiException>(() => client.Tasks.ProgressAsync(id, 50, ct: Ct));
        Assert.Equal((HttpStatusCode.Conflict, "tasks.progress"), (terminal.StatusCode, terminal.Route));
        Assert.Equal("failed", terminal.Problem.Extensions!["currentStatus"].GetString());

        var invalid = await Assert.ThrowsAsync<SpectralApiException>(() => client.Tasks.ProgressAsync(Unique.Name("t"), 150, ct: Ct));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.True(invalid.Problem.Errors!.ContainsKey("progress"));
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Pagers_walk_every_page_of_tasks_and_of_a_history(Engine engine)
    {
        await using var client = await servers.ClientAsync(engine);
        var type = Unique.Name("page");
        var ids = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            ids.Add((await client.Tasks.CreateAsync(new CreateTaskRequest { Type = type }, ct: Ct)).Id);
        }
        var firstPage = await client.Tasks.ListAsync(new TaskQuery { Type = type, Limit = 3 }, Ct);
        Assert.Equal(3, firstPage.Data.Count);
        Assert.NotNull(firstPage.Next);

        var all = new List<string>();
        await foreach (var task in client.Tasks.ListAllAsync(new TaskQuery { Type = type, Limit = 3 }, Ct))
        {
            all.Add(task.Id);
        }
        Assert.Equal(ids.Order(StringComparer.Ordinal), all.Order(StringComparer.Ordinal));
        Assert.Equal(7, all.Distinct(StringComparer.Ordinal).Count());

        for (var i = 1; i <= 9; i++)
        {
            await client.Tasks.ProgressAsync(ids[0], i * 10, ct: Ct);
        }
        var seqs = new List<long>();
        await foreach (var e in client.Tasks.ListEventsAllAsync(ids[0], after: 2, pageSize: 4, ct: Ct))
        {
            seqs.Add(e.Seq);
        }
        Assert.Equal(Enumerable.Range(3, 8).Select(i => (long)i), seqs);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_batch_applies_in_order_and_a_create_with_a_token_answers_a_read_token(Engine engine)
    {
        await using var client = await servers.ClientAsync(engine);
        var id = Unique.Name("b");
        var batch = await client.Tasks.BatchAsync(new TaskBatchRequest
        {
            Operations =
            [
                new TaskBatchOperation { Op = TaskBatchOps.Create, Id = id, Title = "batched" },
                new TaskBatchOperation { Op = TaskBatchOps.Progress, Id = id, Progress = 30 },
                new TaskBatchOperation { Op = TaskBatchOps.Complete, Id = id },
            ],
        }, ct: Ct);
        Assert.Equal(["create", "progress", "complete"], batch.Data.Select(d => d.Op));
        Assert.Equal(TaskStatuses.Success, batch.Data[^1].Task.Status);

        // The server refuses a token together with an Idempotency-Key: the client sends none here.
        var withToken = await client.Tasks.CreateAsync(new CreateTaskRequest { Token = new TokenOnCreate { TtlSeconds = 60 } }, ct: Ct);
        Assert.NotNull(withToken.Token);
        Assert.Equal([$"read:tasks:{withToken.Id}"], withToken.Token.Scopes);
        await using var reader = await servers.ClientAsync(engine, o => { o.ApiKey = null; o.AccessTokenProvider = _ => ValueTask.FromResult<string?>(withToken.Token.Token); });
        Assert.Equal(withToken.Id, (await reader.Tasks.GetAsync(withToken.Id, Ct)).Id);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task An_idempotency_key_replays_the_first_answer(Engine engine)
    {
        await using var client = await servers.ClientAsync(engine);
        var type = Unique.Name("idem");
        var key = new RequestOptions { IdempotencyKey = Guid.NewGuid().ToString("N") };
        var first = await client.Tasks.CreateAsync(new CreateTaskRequest { Type = type }, key, Ct);
        var again = await client.Tasks.CreateAsync(new CreateTaskRequest { Type = type }, key, Ct);
        Assert.Equal(first.Id, again.Id);
        Assert.Single((await client.Tasks.ListAsync(new TaskQuery { Type = type }, Ct)).Data);

        var reused = await Assert.ThrowsAsync<SpectralApiException>(() => client.Tasks.CreateAsync(new CreateTaskRequest { Type = type, Title = "other" }, key, Ct));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task The_stream_replays_a_task_history_as_server_sent_events(Engine engine)
    {
        await using var client = await servers.ClientAsync(engine);
        var id = (await client.Tasks.CreateAsync(new CreateTaskRequest(), ct: Ct)).Id;
        await client.Tasks.ProgressAsync(id, 40, ct: Ct);
        await client.Tasks.CompleteAsync(id, ct: Ct);

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromSeconds(20));
        var seen = new List<TaskStreamMessage>();
        await foreach (var message in client.Tasks.StreamAsync(id, after: 1, cts.Token))
        {
            if (message.Seq is not null)
            {
                seen.Add(message);
            }
            if (message.Seq == 3)
            {
                break;
            }
        }
        Assert.Equal([2L, 3], seen.Select(m => m.Seq!.Value));
        Assert.Equal(40, seen[0].Data.GetProperty("progress").GetDouble());
        Assert.Equal(id, seen[0].Data.GetProperty("taskId").GetString());
    }
}
