using System.Diagnostics;
using System.Text.Json;
using SpectralNotify.Jobs;
using SpectralNotify.Server.Jobs;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Jobs;

/// <summary><c>/api/v1/jobs</c>, <c>/api/v1/runs</c> and the HTTP worker protocol, on both engines.</summary>
public sealed class JobsApiTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 28, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_job_is_versioned_soft_deleted_paused_and_previewed(Engine engine)
    {
        var time = new ManualTime(Start);
        await using var host = await TestHost.StartAsync(engine, time: time);
        var http = host.Client(TestHost.WriteKey);
        var created = await (await http.PostJsonAsync("/api/v1/jobs", """
            {"id":"nightly","type":"import","payload":{"src":"s3://b"},"queue":"etl","priority":80,"maxRetries":5,
             "schedule":{"cron":"30 2 * * *","timezone":"Europe/Berlin"},"misfire":"skip"}
            """)).ExpectAsync(201);
        Assert.Equal(("nightly", 1, "2026-03-29T01:00:00.000Z", "writer"), (created.GetProperty("id").GetString(), created.GetProperty("version").GetInt32(),
            created.GetProperty("nextFireAt").GetString(), created.GetProperty("createdBy").GetString()));
        Assert.Equal("""{"cron":"30 2 * * *","timezone":"Europe/Berlin"}""", created.GetProperty("schedule").GetRawText());

        var preview = await (await http.GetAsync("/api/v1/jobs/nightly/schedule/preview?count=3")).ExpectAsync(200);
        // 2026-03-29 02:30 does not exist in Berlin (clocks jump to 03:00); then 02:30 CEST each day.
        Assert.Equal(["2026-03-29T03:00:00.000+02:00", "2026-03-30T02:30:00.000+02:00", "2026-03-31T02:30:00.000+02:00"],
            preview.GetProperty("times").EnumerateArray().Select(t => t.GetString()));

        Assert.Equal(428, (int)(await http.PatchAsync("/api/v1/jobs/nightly", HttpJson.Body("""{"priority":10}"""))).StatusCode);
        var patch = new HttpRequestMessage(HttpMethod.Patch, "/api/v1/jobs/nightly") { Content = HttpJson.Body("""{"priority":10,"schedule":{"intervalSeconds":60}}""") };
        patch.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        var patched = await (await http.SendAsync(patch)).ExpectAsync(200);
        Assert.Equal((2, 10, "2026-03-28T12:00:59.999Z"), (patched.GetProperty("version").GetInt32(), patched.GetProperty("priority").GetInt32(),
            patched.GetProperty("nextFireAt").GetString()));
        var stale = new HttpRequestMessage(HttpMethod.Patch, "/api/v1/jobs/nightly") { Content = HttpJson.Body("""{"priority":1}""") };
        stale.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        var refused = await (await http.SendAsync(stale)).ExpectAsync(412);
        Assert.Equal(2, refused.GetProperty("version").GetInt32());

        var paused = await (await http.PostJsonAsync("/api/v1/jobs/nightly/pause", "")).ExpectAsync(200);
        Assert.Equal(("paused", JsonValueKind.Null), (paused.GetProperty("state").GetString(), paused.GetProperty("nextFireAt").ValueKind));
        var resumed = await (await http.PostJsonAsync("/api/v1/jobs/nightly/resume", "")).ExpectAsync(200);
        Assert.Equal("active", resumed.GetProperty("state").GetString());
        Assert.NotEqual(JsonValueKind.Null, resumed.GetProperty("nextFireAt").ValueKind);

        // Deleting is an admin's decision, as for tasks and workflows.
        Assert.Equal(403, (int)(await host.Client(TestHost.WriteKey).DeleteAsync("/api/v1/jobs/nightly")).StatusCode);
        var admin = host.Client();
        var deleted = await (await admin.DeleteAsync("/api/v1/jobs/nightly")).ExpectAsync(200);
        Assert.NotEqual(JsonValueKind.Null, deleted.GetProperty("deletedAt").ValueKind);
        // A soft-deleted job can still be read (with its deletedAt) and restored; it no longer fires or lists.
        Assert.NotEqual(JsonValueKind.Null, (await (await http.GetAsync("/api/v1/jobs/nightly")).ExpectAsync(200)).GetProperty("deletedAt").ValueKind);
        Assert.Equal(0, (await (await http.GetAsync("/api/v1/jobs")).ExpectAsync(200)).GetProperty("data").GetArrayLength());
        Assert.Equal(1, (await (await http.GetAsync("/api/v1/jobs?includeDeleted=true&queue=etl")).ExpectAsync(200)).GetProperty("data").GetArrayLength());
        Assert.Equal(404, (int)(await http.PostJsonAsync("/api/v1/jobs/nightly/trigger", "")).StatusCode);
        Assert.Equal(403, (int)(await http.PostJsonAsync("/api/v1/jobs/nightly/restore", "")).StatusCode);
        var restored = await (await admin.PostJsonAsync("/api/v1/jobs/nightly/restore", "")).ExpectAsync(200);
        Assert.Equal(JsonValueKind.Null, restored.GetProperty("deletedAt").ValueKind);
        Assert.Equal(401, (int)(await host.Client(null).GetAsync("/api/v1/jobs/nightly")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Bad_job_input_is_named(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var http = host.Client(TestHost.WriteKey);
        async Task<string> Errors(string body) =>
            string.Join(",", (await (await http.PostJsonAsync("/api/v1/jobs", body)).ExpectAsync(400)).GetProperty("errors").EnumerateObject().Select(p => p.Name));
        Assert.Equal("type", await Errors("""{"payload":{}}"""));
        Assert.Equal("priority,maxRetries,timeoutSeconds", await Errors("""{"type":"t","priority":101,"maxRetries":-1,"timeoutSeconds":0}"""));
        Assert.Equal("schedule", await Errors("""{"type":"t","schedule":{"cron":"99 * * * *"}}"""));
        Assert.Equal("schedule", await Errors("""{"type":"t","schedule":{"cron":"* * * * *","timezone":"Nowhere/City"}}"""));
        Assert.Equal("schedule", await Errors("""{"type":"t","schedule":{"cron":"* * * * *","intervalSeconds":5}}"""));
        Assert.Equal("schedule.every", await Errors("""{"type":"t","schedule":{"every":5}}"""));
        Assert.Equal("misfire,state", await Errors("""{"type":"t","misfire":"later","state":"on"}"""));
        Assert.Equal("runNow", await Errors("""{"type":"t","schedule":{"intervalSeconds":5},"runNow":true}"""));
        Assert.Equal("runs[1].type,runs[1].priority", string.Join(",", (await (await http.PostJsonAsync("/api/v1/runs",
            """{"runs":[{"type":"ok"},{"priority":500}]}""")).ExpectAsync(400)).GetProperty("errors").EnumerateObject().Select(p => p.Name)));
        Assert.Equal(0, (await (await http.GetAsync("/api/v1/jobs")).ExpectAsync(200)).GetProperty("data").GetArrayLength());
        var claim = await (await http.PostJsonAsync("/api/v1/workers/claim", """{"workerId":"w","queues":[],"max":1000,"waitSeconds":60}""")).ExpectAsync(400);
        Assert.Equal("queues,max,waitSeconds", string.Join(",", claim.GetProperty("errors").EnumerateObject().Select(p => p.Name)));
        async Task<string> ClaimErrors(string queues, string types) =>
            string.Join(",", (await (await http.PostJsonAsync("/api/v1/workers/claim", $$"""{"workerId":"w","queues":{{queues}},"types":{{types}}}"""))
                .ExpectAsync(400)).GetProperty("errors").EnumerateObject().Select(p => p.Name));
        var many = "[" + string.Join(",", Enumerable.Range(0, 101).Select(i => $"\"q{i}\"")) + "]";
        Assert.Equal("queues,types", await ClaimErrors(many, many));
        Assert.Equal("queues[1],queues[2],types[0]", await ClaimErrors($"""["ok","","{new string('q', 101)}"]""", """["a\u0000b"]"""));
        Assert.Equal("types[1]", await ClaimErrors("""["ok"]""", """["t","tab\there"]"""));
        var hundred = "[" + string.Join(",", Enumerable.Range(0, 100).Select(i => $"\"{i}{new string('q', 98)}\"")) + "]";
        await (await http.PostJsonAsync("/api/v1/workers/claim", $$"""{"workerId":"w","queues":{{hundred}},"types":{{hundred}}}""")).ExpectAsync(200);
        var tooMany = "{\"runs\":[" + string.Join(",", Enumerable.Repeat("""{"type":"t"}""", JobRequests.MaxRunsPerRequest + 1)) + "]}";
        Assert.Equal("runs", string.Join(",", (await (await http.PostJsonAsync("/api/v1/runs", tooMany)).ExpectAsync(400)).GetProperty("errors")
            .EnumerateObject().Select(p => p.Name)));
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Runs_are_tasks_claimed_by_lease_with_cancel_and_rescue(Engine engine)
    {
        var time = new ManualTime(Start);
        await using var host = await TestHost.StartAsync(engine, time: time);
        var http = host.Client(TestHost.WriteKey);
        var job = await (await http.PostJsonAsync("/api/v1/jobs", """{"id":"mail","type":"send","payload":{"to":"a@b.c"},"runNow":true}""")).ExpectAsync(201);
        var firstRun = job.GetProperty("run").GetProperty("id").GetString()!;
        var triggered = await (await http.PostJsonAsync("/api/v1/jobs/mail/trigger", "")).ExpectAsync(202);
        var secondRun = triggered.GetProperty("id").GetString()!;
        await using var ws = await host.ConnectAsync($"/ws/task/{firstRun}?after=0");

        var claim = await (await http.PostJsonAsync("/api/v1/workers/claim", """{"workerId":"w1","queues":["default"],"max":2,"leaseSeconds":10}""")).ExpectAsync(200);
        var runs = claim.GetProperty("runs");
        Assert.Equal([firstRun, secondRun], runs.EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        Assert.Equal(("""{"to":"a@b.c"}""", "running", "in-progress", 1), (runs[0].GetProperty("payload").GetRawText(), runs[0].GetProperty("state").GetString(),
            runs[0].GetProperty("status").GetString(), runs[0].GetProperty("attempt").GetInt32()));
        var token1 = runs[0].GetProperty("leaseToken").GetString()!;
        var token2 = runs[1].GetProperty("leaseToken").GetString()!;

        // A worker reports progress on the run's task; watchers see it live with everything else.
        await (await http.PostJsonAsync($"/api/v1/tasks/{firstRun}/progress", """{"progress":40}""")).ExpectAsync(200);
        Assert.Equal(409, (int)(await http.PostJsonAsync($"/api/v1/tasks/{firstRun}/complete", "{}")).StatusCode);
        var compat = await (await http.PostJsonAsync("/tasks/complete", $$"""{"taskId":"{{firstRun}}"}""", "compat-1")).ExpectAsync(409);
        Assert.Equal("CONFLICT", compat.GetProperty("code").GetString());
        var completed = await (await http.PostJsonAsync($"/api/v1/runs/{firstRun}/complete", $$$"""{"leaseToken":"{{{token1}}}","result":{"sent":true}}""")).ExpectAsync(200);
        Assert.Equal(("done", "success", """{"sent":true}"""), (completed.GetProperty("state").GetString(), completed.GetProperty("status").GetString(),
            completed.GetProperty("result").GetRawText()));
        var messages = await ws.ReceiveThroughSeqAsync(4);
        Assert.Equal(["created", "event", "progress", "complete"], messages.Select(m => m.GetProperty("type").GetString()));

        // Cancel a running run: its worker hears of it in the heartbeat answer and stops.
        Assert.Equal(202, (int)(await http.PostJsonAsync($"/api/v1/tasks/{secondRun}/cancel", "{}")).StatusCode);
        var beat = await (await http.PostJsonAsync($"/api/v1/runs/{secondRun}/heartbeat", $$"""{"leaseToken":"{{token2}}"}""")).ExpectAsync(200);
        Assert.True(beat.GetProperty("cancelRequested").GetBoolean());
        var stopped = await (await http.PostJsonAsync($"/api/v1/runs/{secondRun}/fail", $$"""{"leaseToken":"{{token2}}","error":"stopped"}""")).ExpectAsync(200);
        Assert.Equal("canceled", stopped.GetProperty("status").GetString());

        // A worker that dies loses its lease; the scheduler pass retries the run and a late answer is refused.
        var third = (await (await http.PostJsonAsync("/api/v1/jobs/mail/trigger", "")).ExpectAsync(202)).GetProperty("id").GetString()!;
        var lost = (await (await http.PostJsonAsync("/api/v1/workers/claim", """{"workerId":"w1","queues":["default"],"leaseSeconds":10}""")).ExpectAsync(200)).GetProperty("runs")[0];
        time.Advance(TimeSpan.FromSeconds(11));
        await host.Services.GetRequiredService<JobService>().SweepAsync(default);
        time.Advance(TimeSpan.FromSeconds(3));
        var rescued = (await (await http.PostJsonAsync("/api/v1/workers/claim", """{"workerId":"w2","queues":["default"]}""")).ExpectAsync(200)).GetProperty("runs")[0];
        Assert.Equal((third, 2), (rescued.GetProperty("id").GetString(), rescued.GetProperty("attempt").GetInt32()));
        var late = await (await http.PostJsonAsync($"/api/v1/runs/{third}/complete", $$"""{"leaseToken":"{{lost.GetProperty("leaseToken").GetString()}}"}""")).ExpectAsync(409);
        Assert.Equal("Lease lost", late.GetProperty("title").GetString());

        var listed = await (await http.GetAsync("/api/v1/jobs/mail/runs")).ExpectAsync(200);
        Assert.Equal(3, listed.GetProperty("data").GetArrayLength());
        Assert.Equal(200, (int)(await http.GetAsync($"/api/v1/runs/{third}")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_run_task_cannot_be_ended_around_its_run_on_any_route(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine, new Dictionary<string, string?> { ["Workers:Enabled"] = "false" });
        var http = host.Client(TestHost.AdminKey);
        await (await http.PostJsonAsync("/api/v1/runs", """{"runs":[{"id":"guarded","type":"mail","queue":"q-guard"}]}""")).ExpectAsync(201);
        await (await http.PostJsonAsync("/api/v1/tasks", """{"id":"plain"}""")).ExpectAsync(201);

        // The audit's reproduction (finding 2): a batch used to complete the run's task around its lease.
        var batch = await (await http.PostJsonAsync("/api/v1/tasks/batch",
            """{"operations":[{"op":"progress","id":"plain","progress":5},{"op":"complete","id":"guarded"}]}""")).ExpectAsync(409);
        Assert.Equal(("Task is a job run", 1), (batch.GetProperty("title").GetString(), batch.GetProperty("index").GetInt32()));
        await (await http.PostJsonAsync("/api/v1/tasks/guarded/complete", "{}")).ExpectAsync(409);
        await (await http.PostJsonAsync("/api/v1/tasks/guarded/fail", """{"error":"x"}""")).ExpectAsync(409);
        var compat = await http.PostJsonAsync("/tasks/complete", """{"taskId":"guarded"}""", "guard-1");
        Assert.Equal(409, (int)compat.StatusCode);
        Assert.Contains("CONFLICT", await compat.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Nothing of those was written; the run is still claimable and its worker ends it normally.
        Assert.Equal(0, (await (await http.GetAsync("/api/v1/tasks/plain")).ExpectAsync(200)).GetProperty("progress").GetDouble());
        var run = (await (await http.PostJsonAsync("/api/v1/workers/claim", """{"workerId":"w","queues":["q-guard"]}""")).ExpectAsync(200)).GetProperty("runs")[0];
        var done = await (await http.PostJsonAsync("/api/v1/runs/guarded/complete",
            $$"""{"leaseToken":"{{run.GetProperty("leaseToken").GetString()}}"}""")).ExpectAsync(200);
        Assert.Equal("success", done.GetProperty("status").GetString());
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Schedules_fire_through_the_scheduler_pass(Engine engine)
    {
        var time = new ManualTime(Start);
        await using var host = await TestHost.StartAsync(engine, time: time);
        var http = host.Client(TestHost.WriteKey);
        await (await http.PostJsonAsync("/api/v1/jobs", """{"id":"tick","type":"noop","schedule":{"intervalSeconds":30}}""")).ExpectAsync(201);
        await (await http.PostJsonAsync("/api/v1/jobs", """{"id":"once","type":"noop","schedule":{"at":"2026-03-28T12:01:00Z"}}""")).ExpectAsync(201);
        var jobs = host.Services.GetRequiredService<JobService>();
        for (var i = 0; i < 4; i++)
        {
            time.Advance(TimeSpan.FromSeconds(30));
            await jobs.FireDueAsync(default);
        }
        Assert.Equal(4, (await (await http.GetAsync("/api/v1/jobs/tick/runs")).ExpectAsync(200)).GetProperty("data").GetArrayLength());
        Assert.Equal(1, (await (await http.GetAsync("/api/v1/jobs/once/runs")).ExpectAsync(200)).GetProperty("data").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, (await (await http.GetAsync("/api/v1/jobs/once")).ExpectAsync(200)).GetProperty("nextFireAt").ValueKind);
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task The_scheduler_fires_at_the_due_time_not_at_its_next_poll(Engine engine)
    {
        // A poll once a minute: firings every second can only come from the scheduler waking for the
        // job it was told about (a job saved here) and then sleeping until each next fire time.
        await using var host = await TestHost.StartAsync(engine, new Dictionary<string, string?> { ["Spectral:SchedulerInterval"] = "00:01:00" });
        var http = host.Client(TestHost.WriteKey);
        await (await http.PostJsonAsync("/api/v1/jobs", """{"id":"tick","type":"nobody-handles-this","schedule":{"intervalSeconds":1}}""")).ExpectAsync(201);
        async Task<int> Firings() => (await (await http.GetAsync("/api/v1/jobs/tick/runs")).ExpectAsync(200)).GetProperty("data").GetArrayLength();
        try
        {
            await Eventually.TrueAsync(async () => await Firings() >= 3, "three firings a second apart, well inside one poll interval", TimeSpan.FromSeconds(30));
        }
        catch (Xunit.Sdk.XunitException)
        {
            // What the scheduler saw, for a failure that only a loaded machine shows.
            var scheduler = host.Services.GetRequiredService<SpectralNotify.Health.HealthRegistry>().Component("job-scheduler");
            var job = await (await http.GetAsync("/api/v1/jobs/tick")).ExpectAsync(200);
            var runs = await (await http.GetAsync("/api/v1/jobs/tick/runs")).ExpectAsync(200);
            Assert.Fail($"{await Firings()} firings in 30 s. job-scheduler: {scheduler.Problem ?? "healthy"}, {scheduler.Failures} failures; "
                + $"nextFireAt {job.GetProperty("nextFireAt")}, now {DateTimeOffset.UtcNow:O}; runs {runs.GetProperty("data")}");
        }
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_worker_process_speaking_http_runs_retries_and_dead_letters(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var http = host.Client(TestHost.WriteKey);
        var enqueued = await (await http.PostJsonAsync("/api/v1/runs", """
            {"runs":[{"id":"ok","type":"demo","payload":{}},{"id":"flaky","type":"demo","payload":{"failTimes":2}},
                     {"id":"fatal","type":"demo","payload":{"fatal":true}},{"id":"hopeless","type":"demo","maxRetries":1,"payload":{"failTimes":5}},
                     {"id":"foreign","type":"resize","payload":{}}]}
            """)).ExpectAsync(201);
        Assert.Equal(5, enqueued.GetProperty("runs").GetArrayLength());

        var output = await RunWorkerAsync(host, maxRuns: 7);
        Assert.Contains("flaky attempt 3: completed", output);

        async Task<(string, string?)> Status(string id)
        {
            var t = await (await http.GetAsync($"/api/v1/tasks/{id}")).ExpectAsync(200);
            return (t.GetProperty("status").GetString()!, t.GetProperty("error").GetString());
        }
        Assert.Equal(("success", null), await Status("ok"));
        Assert.Equal(("success", null), await Status("flaky"));
        Assert.Equal(("failed", "fatal payload (not retryable)"), await Status("fatal"));
        Assert.Equal(("failed", "attempt 2 failed on purpose (attempt 2 of 2; no retries left)"), await Status("hopeless"));
        var events = await (await http.GetAsync("/api/v1/tasks/flaky/events?limit=100")).ExpectAsync(200);
        var errors = events.GetProperty("data").EnumerateArray().Where(e => e.GetProperty("type").GetString() == "error").Select(e => e.GetProperty("message").GetString()).ToList();
        Assert.Equal(2, errors.Count);
        Assert.All(errors, m => Assert.Contains("failed on purpose", m));
        var run = await (await http.GetAsync("/api/v1/runs/flaky")).ExpectAsync(200);
        Assert.Equal("""{"worker":"node-worker","attempt":3}""", run.GetProperty("result").GetRawText());
        // The worker has no "resize" handler, so it never claims that run.
        var foreign = await (await http.GetAsync("/api/v1/runs/foreign")).ExpectAsync(200);
        Assert.Equal(("pending", 0), (foreign.GetProperty("state").GetString(), foreign.GetProperty("attempt").GetInt32()));
    }

    /// <summary>Runs examples/workers/http-worker.mjs against the host until it has handled <paramref name="maxRuns"/> attempts.</summary>
    private static async Task<string> RunWorkerAsync(TestHost host, int maxRuns)
    {
        var start = ExampleWorker.StartInfo(host, new Dictionary<string, string>
        {
            ["MAX_RUNS"] = maxRuns.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"worker exited {process.ExitCode}: {await stderr}\n{await stdout}");
        return await stdout;
    }
}
