using System.Net;
using Microsoft.Extensions.Logging;
using SpectralNotify.Client;
using SpectralNotify.Worker.Protocol;

namespace SpectralNotify.Worker;

/// <summary>
/// The claim loop of one queue: waits for a free slot, long-polls a claim for as many runs as there
/// are free slots, and starts each claimed run on its slot. It never dies silently: a call the server
/// does not answer is retried (<see cref="CallRetry"/>), any other unexpected error is logged and the
/// loop goes on after a pause, and only a refusal no retry can fix ends it with
/// <see cref="WorkerConfigurationException"/>.
/// </summary>
internal sealed class QueueLoop(
    string queue, int concurrency, SpectralWorkerOptions options, IReadOnlyList<string> types, WorkerApi api, CallRetry retry,
    RunExecutor executor, ILogger log)
{
    /// <param name="stopClaiming">Ends the loop (claims in flight are abandoned).</param>
    /// <param name="interrupt">Passed to each attempt: the drain ran out.</param>
    /// <param name="abandon">Passed to each attempt: the host stops for good.</param>
    /// <param name="track">Registers each started attempt, so the drain can wait for it.</param>
    public async Task RunAsync(CancellationToken stopClaiming, CancellationToken interrupt, CancellationToken abandon, Action<Task> track)
    {
        // Not disposed: attempts still running after the loop ends release their slot into it.
        var slots = new SemaphoreSlim(concurrency, concurrency);
        // One key per claim, the same on its retries: a claim whose answer was lost but stored is handed out again.
        var keys = "c-" + Guid.NewGuid().ToString("N");
        var claims = 0L;
        var pause = TimeSpan.FromSeconds(1);
        while (!stopClaiming.IsCancellationRequested)
        {
            try
            {
                await slots.WaitAsync(stopClaiming).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            var free = 1;
            while (free < concurrency && slots.Wait(0))
            {
                free++;
            }
            IReadOnlyList<ClaimedRun> runs;
            try
            {
                var body = new ClaimBody(options.WorkerId, [queue], types, free, (int)options.LeaseDuration.TotalSeconds, (int)options.ClaimWait.TotalSeconds);
                var key = $"{keys}-{claims++}";
                runs = await retry.RunAsync($"claim on queue {queue}", c => api.ClaimAsync(body, key, c), stopClaiming).ConfigureAwait(false);
                pause = TimeSpan.FromSeconds(1);
            }
            catch (OperationCanceledException) when (stopClaiming.IsCancellationRequested)
            {
                slots.Release(free);
                break;
            }
            catch (SpectralApiException e) when (e.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.BadRequest or HttpStatusCode.NotFound)
            {
                slots.Release(free);
                throw new WorkerConfigurationException(Explain(e), e);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                slots.Release(free);
                log.LogError(e, "Claiming on queue {Queue} failed; trying again in {Pause}", queue, pause);
                try
                {
                    await Task.Delay(pause, stopClaiming).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, options.MaxRetryDelay.Ticks));
                continue;
            }
            if (runs.Count < free)
            {
                slots.Release(free - runs.Count);
            }
            foreach (var run in runs)
            {
                track(Task.Run(async () =>
                {
                    try
                    {
                        await executor.RunAsync(run, interrupt, abandon).ConfigureAwait(false);
                    }
                    finally
                    {
                        slots.Release();
                    }
                }, CancellationToken.None));
            }
        }
    }

    private string Explain(SpectralApiException e) => e.StatusCode switch
    {
        HttpStatusCode.Unauthorized => $"The server at {options.BaseAddress} refused the worker's credentials (401): set SpectralWorkerOptions.ApiKey to a valid key with write scope. {e.Message}",
        HttpStatusCode.Forbidden => $"The server at {options.BaseAddress} refused the worker (403): its key needs write scope on runs and tasks. {e.Message}",
        HttpStatusCode.NotFound => $"{options.BaseAddress} has no /api/v1/workers/claim (404): is SpectralWorkerOptions.BaseAddress a SpectralNotify server? {e.Message}",
        _ => $"The server refused the claim on queue '{queue}' ({(int)e.StatusCode}): {e.Message}",
    };
}
