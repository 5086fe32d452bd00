using System.Text.Json;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Jobs;

/// <summary><c>POST /api/v1/runs/{id}/retry</c>: a dead-lettered or canceled run done again as a new run, on both engines.</summary>
public sealed class RunRetryTests
{
    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_dead_lettered_run_is_retried_as_a_new_run_and_only_ended_runs_can_be(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var http = host.Client(TestHost.WriteKey);
        await (await http.PostJsonAsync("/api/v1/jobs", """{"id":"mail","type":"send","payload":{"to":"a@b.c"},"queue":"q1","priority":70,"maxRetries":0}""")).ExpectAsync(201);
        var first = (await (await http.PostJsonAsync("/api/v1/jobs/mail/trigger", "")).ExpectAsync(202)).GetProperty("id").GetString()!;

        // Still queued: nothing to retry yet.
        var early = await (await http.PostJsonAsync($"/api/v1/runs/{first}/retry", "")).ExpectAsync(409);
        Assert.Equal(("Run cannot be retried", "pending"), (early.GetProperty("title").GetString(), early.GetProperty("state").GetString()));

        var claimed = (await (await http.PostJsonAsync("/api/v1/workers/claim", """{"workerId":"w1","queues":["q1"]}""")).ExpectAsync(200)).GetProperty("runs")[0];
        var token = claimed.GetProperty("leaseToken").GetString();
        var dead = await (await http.PostJsonAsync($"/api/v1/runs/{first}/fail", $$"""{"leaseToken":"{{token}}","error":"smtp down"}""")).ExpectAsync(200);
        Assert.Equal(("done", "failed"), (dead.GetProperty("state").GetString(), dead.GetProperty("status").GetString()));

        var retried = await http.PostJsonAsync($"/api/v1/runs/{first}/retry", "");
        var again = await retried.ExpectAsync(201);
        var second = again.GetProperty("id").GetString()!;
        Assert.NotEqual(first, second);
        Assert.Equal($"/api/v1/runs/{second}", retried.Headers.Location?.OriginalString);
        Assert.Equal(("pending", "mail", "send", "q1", 70, """{"to":"a@b.c"}"""), (again.GetProperty("state").GetString(), again.GetProperty("jobId").GetString(),
            again.GetProperty("type").GetString(), again.GetProperty("queue").GetString(), again.GetProperty("priority").GetInt32(), again.GetProperty("payload").GetRawText()));
        var task = await (await http.GetAsync($"/api/v1/tasks/{second}")).ExpectAsync(200);
        Assert.Equal(first, task.GetProperty("metadata").GetProperty("retryOf").GetString());

        // The dead run keeps its outcome; the new one is claimed and succeeds on its own first attempt.
        Assert.Equal("failed", (await (await http.GetAsync($"/api/v1/runs/{first}")).ExpectAsync(200)).GetProperty("status").GetString());
        var next = (await (await http.PostJsonAsync("/api/v1/workers/claim", """{"workerId":"w1","queues":["q1"]}""")).ExpectAsync(200)).GetProperty("runs")[0];
        Assert.Equal((second, 1), (next.GetProperty("id").GetString(), next.GetProperty("attempt").GetInt32()));
        var done = await (await http.PostJsonAsync($"/api/v1/runs/{second}/complete", $$"""{"leaseToken":"{{next.GetProperty("leaseToken").GetString()}}"}""")).ExpectAsync(200);
        Assert.Equal("success", done.GetProperty("status").GetString());

        // A run that succeeded is not retried (trigger the job instead); unknown runs are 404; reads cannot retry.
        var succeeded = await (await http.PostJsonAsync($"/api/v1/runs/{second}/retry", "")).ExpectAsync(409);
        Assert.Equal("success", succeeded.GetProperty("state").GetString());
        Assert.Equal(404, (int)(await http.PostJsonAsync("/api/v1/runs/run-nope/retry", "")).StatusCode);
        Assert.Equal(403, (int)(await host.Client(TestHost.ReadKey).PostJsonAsync($"/api/v1/runs/{first}/retry", "")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_canceled_one_off_run_is_retried(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var http = host.Client(TestHost.WriteKey);
        var enqueued = await (await http.PostJsonAsync("/api/v1/runs", """{"runs":[{"type":"resize","payload":[1,2]}]}""")).ExpectAsync(201);
        var run = enqueued.GetProperty("runs")[0].GetProperty("id").GetString()!;
        Assert.Equal(200, (int)(await http.PostJsonAsync($"/api/v1/tasks/{run}/cancel", "{}")).StatusCode);

        var again = await (await http.PostJsonAsync($"/api/v1/runs/{run}/retry", "")).ExpectAsync(201);
        Assert.Equal((JsonValueKind.Null, "resize", "[1,2]"), (again.GetProperty("jobId").ValueKind, again.GetProperty("type").GetString(), again.GetProperty("payload").GetRawText()));
    }
}
