using SpectralNotify.Jobs;
using SpectralNotify.Server.Hosting;

namespace SpectralNotify.Server.Jobs;

/// <summary>
/// Every <see cref="SpectralOptions.SchedulerInterval"/>: fires due schedules and fails (retries)
/// runs whose lease ran out. It runs on every node: each due job and each expired run is locked by
/// the one node that handles it (PostgreSQL <c>SKIP LOCKED</c>, or SQLite's single writer) and its
/// next state commits with it, so a firing is never doubled or lost when a node stops.
/// </summary>
public sealed class JobScheduler(JobService jobs, SpectralOptions options, TimeProvider time, ILogger<JobScheduler> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.SchedulerInterval, time);
        try
        {
            do
            {
                try
                {
                    // A full batch means more may be due: go again at once.
                    while (await jobs.TickAsync(stoppingToken) >= 500)
                    {
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
                {
                    log.LogWarning(ex, "Job scheduler pass failed; retrying next interval");
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
