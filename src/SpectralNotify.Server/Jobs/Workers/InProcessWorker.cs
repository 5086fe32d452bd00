using System.Text.Json;
using SpectralNotify.Jobs;
using SpectralNotify.Tasks;

namespace SpectralNotify.Server.Jobs.Workers;

/// <summary>
/// Runs the registered handlers in this process. Each queue has its own loop with a concurrency
/// limit: it claims as many runs as it has free slots (one claim, one transaction), wakes when work
/// is enqueued here and polls as a backstop. Each run gets a CancellationToken that fires on a cancel
/// request (learned from its heartbeat), on its timeout, or at the end of a shutdown drain.
/// </summary>
/// <remarks>
/// Shutdown is graceful: claiming stops, running handlers get <see cref="WorkerOptions.DrainTimeout"/>
/// to finish, then are cancelled; an interrupted attempt fails as retryable, so another worker (or
/// this one after restart) runs it again.
/// </remarks>
public sealed class InProcessWorker(JobService jobs, TaskService tasks, IServiceProvider services, WorkerOptions options,
    TimeProvider time, ILogger<InProcessWorker> log) : BackgroundService
{
    private readonly CancellationTokenSource _abort = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, CancellationTokenSource> _cancels = new(StringComparer.Ordinal);
    private readonly List<Task> _running = [];
    private readonly Lock _gate = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Enabled)
        {
            return;
        }
        jobs.CancelRequested += id =>
        {
            if (_cancels.TryGetValue(id, out var cancel))
            {
                try
                {
                    cancel.Cancel();
                }
                catch (ObjectDisposedException)
                {
                    // The run finished meanwhile.
                }
            }
        };
        var queues = options.Queues.Count > 0 ? options.Queues : new Dictionary<string, int> { ["default"] = 8 };
        await Task.WhenAll(queues.Select(q => QueueLoopAsync(q.Key, Math.Max(1, q.Value), stoppingToken)));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        Task[] running;
        lock (_gate)
        {
            running = [.. _running];
        }
        var drained = Task.WhenAll(running);
        if (await Task.WhenAny(drained, Task.Delay(options.DrainTimeout, time, CancellationToken.None)) != drained)
        {
            log.LogWarning("Cancelling {Count} runs still running after the {Drain} drain", running.Count(t => !t.IsCompleted), options.DrainTimeout);
            await _abort.CancelAsync();
            await Task.WhenAny(drained, Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None));
        }
    }

    public override void Dispose()
    {
        _abort.Dispose();
        base.Dispose();
    }

    private async Task QueueLoopAsync(string queue, int concurrency, CancellationToken stopping)
    {
        using var slots = new SemaphoreSlim(concurrency, concurrency);
        var types = options.Types.ToList();
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await slots.WaitAsync(stopping);
                var free = await MoreSlotsAsync(slots, concurrency, stopping);
                var arrived = jobs.WorkArrived;
                var claimed = await jobs.ClaimAsync(new ClaimRequest(options.WorkerId, [queue], types, free, options.Lease), stopping);
                if (free > claimed.Count)
                {
                    slots.Release(free - claimed.Count);
                }
                foreach (var change in claimed)
                {
                    Track(Task.Run(() => RunAsync(change.Run, slots), CancellationToken.None));
                }
                if (claimed.Count == 0)
                {
                    await Task.WhenAny(arrived, Task.Delay(options.PollInterval, time, stopping));
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                log.LogWarning(ex, "Claiming from queue {Queue} failed; retrying", queue);
                await Task.Delay(options.PollInterval, time, CancellationToken.None);
            }
        }
    }

    /// <summary>
    /// Gathers free slots for one claim. Every claim is a commit, and on PostgreSQL commits that send
    /// notifications are serialized, so claiming one run per freed slot would cap throughput near one
    /// commit per run. A claim therefore waits up to <see cref="ClaimWindow"/> for half the slots to be
    /// free; an idle queue has them all free at once and claims without waiting.
    /// </summary>
    private async Task<int> MoreSlotsAsync(SemaphoreSlim slots, int concurrency, CancellationToken stopping)
    {
        var free = 1;
        var started = time.GetTimestamp();
        while (free < concurrency)
        {
            if (slots.Wait(0, CancellationToken.None))
            {
                free++;
                continue;
            }
            var left = ClaimWindow - time.GetElapsedTime(started);
            if (free * 2 >= concurrency || left <= TimeSpan.Zero || !await slots.WaitAsync(left, stopping))
            {
                break;
            }
            free++;
        }
        return free;
    }

    private static readonly TimeSpan ClaimWindow = TimeSpan.FromMilliseconds(5);

    private void Track(Task task)
    {
        lock (_gate)
        {
            _running.RemoveAll(t => t.IsCompleted);
            _running.Add(task);
        }
    }

    private async Task RunAsync(JobRun run, SemaphoreSlim slots)
    {
        using var timeout = new CancellationTokenSource();
        if (run.Deadline is { } deadline)
        {
            timeout.CancelAfter(deadline - time.GetUtcNow());
        }
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(_abort.Token, timeout.Token);
        _cancels[run.TaskId] = cancel;
        using var heartbeat = HeartbeatAsync(run, cancel);
        try
        {
            var handler = services.GetRequiredKeyedService<IJobHandler>(run.Type);
            var result = await handler.HandleAsync(new JobContext(run, tasks), cancel.Token);
            await jobs.CompleteAsync(run.TaskId, run.LeaseToken!, result is { } r ? JsonSerializer.Serialize(r) : null, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Why the token fired decides how the attempt is recorded.
            var why = !cancel.IsCancellationRequested ? null
                : _abort.IsCancellationRequested ? "interrupted by shutdown"
                : timeout.IsCancellationRequested ? $"timed out after {run.TimeoutSeconds} s"
                : "stopped on request";
            await FailAsync(run, ex, why);
        }
        finally
        {
            _cancels.TryRemove(run.TaskId, out _);
            await cancel.CancelAsync();
            slots.Release();
        }
    }

    /// <summary><paramref name="canceledBecause"/> is set when the run's token fired (and so caused <paramref name="ex"/>).</summary>
    private async Task FailAsync(JobRun run, Exception ex, string? canceledBecause)
    {
        var (message, retryable, retryAfter) = ex switch
        {
            JobFailure f => (f.Message, f.Retryable, f.RetryAfter),
            OperationCanceledException when canceledBecause is not null =>
                (canceledBecause, true, _abort.IsCancellationRequested ? TimeSpan.Zero : (TimeSpan?)null),
            _ => ($"{ex.GetType().Name}: {ex.Message}", true, null),
        };
        try
        {
            await jobs.FailAsync(run.TaskId, run.LeaseToken!, message, retryable,
                retryAfter is { } after ? time.GetUtcNow() + after : null, CancellationToken.None);
        }
        catch (LeaseLostException lost)
        {
            log.LogInformation("Run {Run} finished after its lease was lost: {Reason}", run.TaskId, lost.Message);
        }
        catch (Exception failure) when (failure is not OutOfMemoryException)
        {
            // The lease runs out and the scheduler retries the run.
            log.LogError(failure, "Recording the failure of run {Run} failed (handler error: {Error})", run.TaskId, ex.Message);
        }
    }

    /// <summary>Renews the lease every third of it; a cancel request or a lost lease cancels the handler.</summary>
    private Timer HeartbeatAsync(JobRun run, CancellationTokenSource cancel)
    {
        var period = options.Lease / 3;
        return new Timer(async _ =>
        {
            if (cancel.IsCancellationRequested)
            {
                return;
            }
            try
            {
                var beat = await jobs.HeartbeatAsync(run.TaskId, run.LeaseToken!, options.Lease, CancellationToken.None);
                if (beat.CancelRequested)
                {
                    await cancel.CancelAsync();
                }
            }
            catch (LeaseLostException)
            {
                await cancel.CancelAsync();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException and not ObjectDisposedException)
            {
                log.LogWarning(ex, "Heartbeat of run {Run} failed", run.TaskId);
            }
        }, null, period, period);
    }
}
