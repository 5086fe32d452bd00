using SpectralNotify.Health;
using SpectralNotify.Jobs;
using SpectralNotify.Server.Hosting;
using SpectralNotify.Server.Maintenance;

namespace SpectralNotify.Server.Jobs;

/// <summary>
/// Fires due schedules at their time (component <c>job-scheduler</c>: it sleeps until the earliest
/// stored fire time, at most <see cref="SpectralOptions.SchedulerInterval"/>, and wakes when a job is
/// saved here) and, every interval and independently, fails (retries) runs whose lease ran out and cancels runs
/// past their TTL (<c>run-sweep</c>), so one failing never stops the other. It runs on every node:
/// each due job and each expired run is locked by the one node that handles it (PostgreSQL
/// <c>SKIP LOCKED</c>, or SQLite's single writer) and its next state commits with it, so a firing is
/// never doubled or lost when a node stops. A row a pass cannot handle is logged with its id and
/// skipped for a while (<see cref="JobService.Quarantine"/>).
/// </summary>
public sealed class JobScheduler(JobService jobs, SpectralOptions options, HealthRegistry health, TimeProvider time,
    ILogger<JobScheduler> log) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        jobs.Poisoned += row => log.LogError(
            "Skipping {Entity} {Id} for {Minutes} min: {Problem}", row.Entity, row.Id, jobs.Quarantine.Duration.TotalMinutes, row.Problem);
        return Task.WhenAll(
            PassLoop.RunAsync(health.Component("job-scheduler"), options.SchedulerInterval, time,
                async ct => await jobs.FireDueAsync(ct) >= JobService.PassLimit, stoppingToken,
                ct => jobs.WaitForNextFireAsync(options.SchedulerInterval, ct)),
            PassLoop.RunAsync(health.Component("run-sweep"), options.SchedulerInterval, time,
                async ct => await jobs.SweepAsync(ct) >= JobService.PassLimit, stoppingToken));
    }
}
