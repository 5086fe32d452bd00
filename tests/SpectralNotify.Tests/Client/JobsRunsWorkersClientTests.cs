using System.Net;
using System.Text.Json;
using SpectralNotify.Client;
using SpectralNotify.Client.Models;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Client;

/// <summary>Jobs, runs and the HTTP worker protocol through the .NET client against a real server, on both engines.</summary>
[Collection(ClientServersCollection.Name)]
public sealed class JobsRunsWorkersClientTests(ClientServers servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Jobs_of_every_schedule_kind_round_trip_and_change_under_if_match(Engine engine)
    {
        await using var client = await servers.ClientAsync(engine);
        var queue = Unique.Name("q");
        var cron = await client.Jobs.CreateAsync(new CreateJobRequest
        {
            Id = Unique.Name("cron"), Type = "report", Queue = queue, Schedule = JobSchedule.CronIn("0 0 6 * * ?", "Europe/Paris"),
            Payload = JsonSerializer.SerializeToElement(new { to = "ops" }),
        }, ct: Ct);
        Assert.Equal((JobScheduleKind.Cron, "Europe/Paris", "ops"), (cron.Schedule!.Kind, cron.Schedule.Timezone, cron.Payload.GetProperty("to").GetString()));
        var every = await client.Jobs.CreateAsync(new CreateJobRequest { Type = "poll", Queue = queue, Schedule = JobSchedule.Every(TimeSpan.FromMinutes(5)) }, ct: Ct);
        Assert.Equal((JobScheduleKind.Interval, 300), (every.Schedule!.Kind, every.Schedule.IntervalSeconds));
        var at = DateTimeOffset.UtcNow.AddDays(1);
        var once = await client.Jobs.CreateAsync(new CreateJobRequest { Type = "once", Queue = queue, Schedule = JobSchedule.Once(at) }, ct: Ct);
        Assert.Equal(JobScheduleKind.At, once.Schedule!.Kind);
        var manual = await client.Jobs.CreateAsync(new CreateJobRequest { Type = "manual", Queue = queue, RunNow = true }, ct: Ct);
        Assert.Null(manual.Schedule);
        Assert.Equal(RunStates.Pending, manual.Run!.State);

        var preview = await client.Jobs.PreviewAsync(cron.Id, 3, Ct);
        Assert.Equal(("Europe/Paris", 3), (preview.TimeZone, preview.Times.Count));
        Assert.All(preview.Times, t => Assert.Equal(6, t.Hour));

        var paused = await client.Jobs.PauseAsync(every.Id, ct: Ct);
        Assert.Equal(JobStates.Paused, paused.State);
        var stale = await Assert.ThrowsAsync<SpectralApiException>(() => client.Jobs.ResumeAsync(every.Id, new RequestOptions { IfMatch = every.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) }, Ct));
        Assert.Equal((HttpStatusCode.PreconditionFailed, "jobs.resume"), (stale.StatusCode, stale.Route));
        Assert.Equal(JobStates.Active, (await client.Jobs.ResumeAsync(every.Id, ct: Ct)).State);

        var noIfMatch = await Assert.ThrowsAsync<SpectralApiException>(() => client.Jobs.UpdateAsync(cron.Id, new UpdateJobRequest { Priority = 7 }, null, Ct));
        Assert.Equal((HttpStatusCode.PreconditionRequired, "If-Match required"), (noIfMatch.StatusCode, noIfMatch.Problem.Title));
        var madeManual = await client.Jobs.UpdateAsync(cron.Id, new UpdateJobRequest { Priority = 7, ClearSchedule = true },
            new RequestOptions { IfMatch = cron.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) }, Ct);
        Assert.Equal((7, (JobSchedule?)null), (madeManual.Priority, madeManual.Schedule));

        var run = await client.Jobs.TriggerAsync(cron.Id, ct: Ct);
        Assert.Equal(cron.Id, run.JobId);
        Assert.Contains(await client.Jobs.ListRunsAsync(cron.Id, ct: Ct), r => r.Id == run.Id);

        var deleted = await client.Jobs.DeleteAsync(once.Id, ct: Ct);
        Assert.NotNull(deleted.DeletedAt);
        Assert.Null((await client.Jobs.RestoreAsync(once.Id, ct: Ct)).DeletedAt);

        var ids = new List<string>();
        await foreach (var job in client.Jobs.ListAllAsync(new JobQuery { Queue = queue, Limit = 1 }, Ct))
        {
            ids.Add(job.Id);
        }
        Assert.Equal(new[] { cron.Id, every.Id, once.Id, manual.Id }.Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<SpectralApiException>(() => client.Jobs.GetAsync(Unique.Name("none"), Ct))).StatusCode);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_remote_worker_claims_reports_and_completes_a_run(Engine engine)
    {
        await using var client = await servers.ClientAsync(engine);
        var queue = Unique.Name("q");
        var run = await client.Runs.EnqueueAsync(new EnqueueRunRequest { Type = "resize", Queue = queue, Payload = JsonSerializer.SerializeToElement(new { w = 64 }) }, ct: Ct);
        Assert.Equal(RunStates.Pending, (await client.Runs.GetAsync(run.Id, Ct)).State);

        var claim = await client.Workers.ClaimAsync(new ClaimRunsRequest { WorkerId = "w1", Queues = [queue], WaitSeconds = 5 }, ct: Ct);
        var leased = Assert.Single(claim.Runs);
        Assert.Equal((run.Id, 64), (leased.Id, leased.Payload.GetProperty("w").GetInt32()));
        Assert.NotNull(leased.LeaseToken);

        var beat = await client.Workers.HeartbeatAsync(run.Id, leased.LeaseToken, 60, Ct);
        Assert.False(beat.CancelRequested);
        Assert.True(beat.LeaseExpiresAt > DateTimeOffset.UtcNow.AddSeconds(30));
        await client.Workers.ProgressAsync(run.Id, 50, "half", Ct);
        await client.Workers.EventAsync(run.Id, "resized", ct: Ct);
        var wrongLease = await Assert.ThrowsAsync<SpectralApiException>(() => client.Workers.CompleteAsync(run.Id, "not-the-lease", ct: Ct));
        Assert.Equal("workers.complete", wrongLease.Route);

        var done = await client.Workers.CompleteAsync(run.Id, leased.LeaseToken, JsonSerializer.SerializeToElement(new { bytes = 10 }), Ct);
        Assert.Equal(RunStates.Done, done.State);
        var read = await client.Runs.GetAsync(run.Id, Ct);
        Assert.Equal((TaskStatuses.Success, 10), (read.Status, read.Result!.Value.GetProperty("bytes").GetInt32()));
        Assert.Contains(await client.Runs.ListAsync(new RunQuery { Queue = queue, Status = [TaskStatuses.Success] }, Ct), r => r.Id == run.Id);
        Assert.Contains((await client.Tasks.ListEventsAsync(run.Id, ct: Ct)).Data, e => e.Message == "resized");

        // Nothing else is queued: a claim without a wait answers at once with no runs.
        Assert.Empty((await client.Workers.ClaimAsync(new ClaimRunsRequest { WorkerId = "w1", Queues = [queue] }, ct: Ct)).Runs);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_dead_lettered_run_is_retried_as_a_new_run_and_a_canceled_one_too(Engine engine)
    {
        await using var client = await servers.ClientAsync(engine);
        var queue = Unique.Name("q");
        var batch = await client.Runs.EnqueueAsync(new EnqueueRunsRequest
        {
            Runs = [new EnqueueRunRequest { Type = "flaky", Queue = queue, MaxRetries = 0 }, new EnqueueRunRequest { Type = "flaky", Queue = queue }],
        }, ct: Ct);
        Assert.Equal(2, batch.Runs.Count);

        var claim = await client.Workers.ClaimAsync(new ClaimRunsRequest { WorkerId = "w2", Queues = [queue], Max = 1 }, ct: Ct);
        var leased = Assert.Single(claim.Runs);
        var notYet = await Assert.ThrowsAsync<SpectralApiException>(() => client.Runs.RetryAsync(leased.Id, ct: Ct));
        Assert.Equal((HttpStatusCode.Conflict, "runs.retry"), (notYet.StatusCode, notYet.Route));
        var failed = await client.Workers.FailAsync(leased.Id, leased.LeaseToken!, "boom", retryable: false, ct: Ct);
        Assert.Equal(RunStates.Done, failed.State);

        var retried = await client.Runs.RetryAsync(leased.Id, ct: Ct);
        Assert.NotEqual(leased.Id, retried.Id);
        Assert.Equal((RunStates.Pending, "flaky"), (retried.State, retried.Type));

        var other = batch.Runs.Single(r => r.Id != leased.Id);
        await client.Runs.CancelAsync(other.Id, "not needed", ct: Ct);
        Assert.Equal(TaskStatuses.Canceled, (await client.Runs.GetAsync(other.Id, Ct)).Status);
        Assert.Equal(RunStates.Pending, (await client.Runs.RetryAsync(other.Id, ct: Ct)).State);
    }
}
