using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using SpectralNotify.Handlers;
using SpectralNotify.Health;
using SpectralNotify.Jobs;
using SpectralNotify.Tasks;

namespace SpectralNotify.Server.Jobs.Workers;

/// <summary>
/// Runs the registered handlers in this process. Each queue has a claim loop and as many dispatch
/// loops as its concurrency. The claim loop reserves runs (one transaction for many) into the
/// queue's local queue, sized to its free slots plus <see cref="WorkerOptions.Prefetch"/>; it wakes
/// when work is enqueued here and polls as a backstop. A dispatch loop starts a reserved run, runs
/// its handler (an <see cref="IJobHandler"/> resolved from a DI scope of its own for each attempt)
/// and records the outcome. Each run gets a CancellationToken that fires on a cancel
/// request (learned from its heartbeat), on its timeout, or at the end of a shutdown drain.
/// </summary>
/// <remarks>
/// Shutdown is graceful: claiming stops, running handlers get <see cref="WorkerOptions.DrainTimeout"/>
/// to finish, then are cancelled; an interrupted attempt fails as retryable, so another worker (or
/// this one after restart) runs it again. Runs still waiting in the local queue are not started;
/// their reservations lapse with their lease and the runs go back to the queue.
/// </remarks>
public sealed class InProcessWorker(JobService jobs, TaskService tasks, IServiceProvider services, WorkerOptions options,
    HealthRegistry health, TimeProvider time, ILogger<InProcessWorker> log) : BackgroundService
{
    private readonly CancellationTokenSource _abort = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, CancellationTokenSource> _cancels = new(StringComparer.Ordinal);
    private readonly HashSet<Task> _running = [];
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

    /// <summary>Handlers running now (what a shutdown drains).</summary>
    public int Running => _cancels.Count;

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
            // Cancelled handlers get what is left of the host's shutdown timeout (the drain plus a margin, see GracefulShutdown).
            await Task.WhenAny(drained, Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken));
        }
    }

    public override void Dispose()
    {
        _abort.Dispose();
        base.Dispose();
    }

    private async Task QueueLoopAsync(string queue, int concurrency, CancellationToken stopping)
    {
        var capacity = concurrency + options.Prefetch;
        // Not disposed: the dispatch loops may still use them after this loop ends (they hold no handles).
        var room = new SemaphoreSlim(capacity, capacity);
        var finishing = new SemaphoreSlim(capacity, capacity);
        var local = Channel.CreateUnbounded<Taken>(new UnboundedChannelOptions { SingleWriter = true });
        var idle = new StrongBox<int>();
        for (var i = 0; i < concurrency; i++)
        {
            Track(Task.Run(() => DispatchAsync(local.Reader, idle, room, finishing, stopping), CancellationToken.None));
        }
        var types = options.Types.ToList();
        var component = health.Component($"worker-claim:{queue}");
        var failures = 0;
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                var free = 0;
                try
                {
                    await room.WaitAsync(stopping);
                    free = 1;
                    free = await MoreRoomAsync(room, capacity, () => local.Reader.Count >= concurrency, stopping);
                    var arrived = jobs.WorkArrived;
                    var request = new ClaimRequest(options.WorkerId, [queue], types, free, options.Lease);
                    // Slots idle with nothing queued locally (a quiet queue): claim, starting the runs in
                    // the same transaction, instead of reserving and then starting (two commits before a
                    // handler runs). Busy queues reserve: one reservation fills the local queue.
                    var waiting = Volatile.Read(ref idle.Value);
                    IReadOnlyList<Taken> taken = local.Reader.Count == 0 && waiting > 0
                        ? [.. (await jobs.ClaimAsync(request with { Max = Math.Min(free, waiting) }, stopping)).Select(c => new Taken(c.Run, true))]
                        : [.. (await jobs.ReserveAsync(request, stopping)).Select(r => new Taken(r, false))];
                    if (free > taken.Count)
                    {
                        room.Release(free - taken.Count);
                    }
                    free = 0; // the rest travel with their runs and come back when each is handled
                    foreach (var run in taken)
                    {
                        local.Writer.TryWrite(run);
                    }
                    component.Succeeded(time.GetUtcNow());
                    failures = 0;
                    if (taken.Count == 0)
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
                    // Give back the room taken for this claim, or the loop would wait for it forever.
                    if (free > 0)
                    {
                        room.Release(free);
                    }
                    failures++;
                    component.Failed($"claiming from queue {queue} failed: {ex.GetType().Name}: {ex.Message}", time.GetUtcNow());
                    log.LogDebug(ex, "Claiming from queue {Queue} failed (attempt {Failures}); backing off", queue, failures);
                    await Task.Delay(Maintenance.PassLoop.Backoff(options.PollInterval, failures), time, CancellationToken.None);
                }
            }
        }
        finally
        {
            local.Writer.Complete();
        }
    }

    /// <summary>A run in the local queue: reserved, or already started by a claim.</summary>
    private sealed record Taken(JobRun Run, bool Started);

    /// <summary>One slot of a queue: takes runs from the local queue one at a time until the queue loop ends.</summary>
    private async Task DispatchAsync(ChannelReader<Taken> local, StrongBox<int> idle, SemaphoreSlim room, SemaphoreSlim finishing, CancellationToken stopping)
    {
        while (true)
        {
            Interlocked.Increment(ref idle.Value);
            var more = await local.WaitToReadAsync(CancellationToken.None);
            Interlocked.Decrement(ref idle.Value);
            if (!more)
            {
                return;
            }
            while (local.TryRead(out var run))
            {
                if (stopping.IsCancellationRequested && !run.Started)
                {
                    room.Release(); // shutting down: not started, its reservation lapses
                    continue;
                }
                var handled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                Track(RunAsync(run, room, finishing, handled));
                await handled.Task;
            }
        }
    }

    /// <summary>
    /// Gathers room for one reservation. Every reservation is a commit plus a scan of the queue's
    /// index, so reserving one run per freed slot would cap throughput near one transaction per run.
    /// A reservation therefore waits for half the room to be free, or, once the local queue is
    /// running low (fewer runs than slots), at most <see cref="ClaimWindow"/>. An idle queue has all
    /// its room free at once and reserves without waiting.
    /// </summary>
    private async Task<int> MoreRoomAsync(SemaphoreSlim room, int capacity, Func<bool> enoughQueued, CancellationToken stopping)
    {
        var free = 1;
        var started = time.GetTimestamp();
        while (free < capacity && free * 2 < capacity)
        {
            if (room.Wait(0, CancellationToken.None))
            {
                free++;
                continue;
            }
            if (enoughQueued())
            {
                // The slots have work for now: keep gathering, and start the window once they run low.
                started = time.GetTimestamp();
                if (await room.WaitAsync(ClaimWindow, stopping))
                {
                    free++;
                }
                continue;
            }
            var left = ClaimWindow - time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero || !await room.WaitAsync(left, stopping))
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
            _running.Add(task);
        }
        task.ContinueWith(t =>
        {
            lock (_gate)
            {
                _running.Remove(t);
            }
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>
    /// Starts a reserved run, runs its handler and records the outcome. The start commits while the
    /// handler already runs (its reports wait for it; a start that fails, because the run was
    /// canceled or its reservation lapsed, cancels the handler). As soon as the handler returns, its
    /// slot takes the next run (<paramref name="handled"/>) and its room is given back, while this
    /// outcome commits: outcomes recorded together share a transaction. Outcomes being recorded are
    /// bounded by <paramref name="finishing"/>, so a node never holds more than twice its room in leases.
    /// </summary>
    private async Task RunAsync(Taken taken, SemaphoreSlim room, SemaphoreSlim finishing, TaskCompletionSource handled)
    {
        try
        {
            await RunCoreAsync(taken, room, finishing, handled);
        }
        finally
        {
            handled.TrySetResult();
        }
    }

    private async Task RunCoreAsync(Taken taken, SemaphoreSlim room, SemaphoreSlim finishing, TaskCompletionSource handled)
    {
        var run = taken.Started ? taken.Run : taken.Run with { Attempt = taken.Run.Attempt + 1 }; // as its start records it
        using var timeout = new CancellationTokenSource();
        if (run.TimeoutSeconds is { } seconds)
        {
            // CancelAfter throws beyond ~24.8 days; a longer timeout is no timeout in practice.
            timeout.CancelAfter(TimeSpan.FromMilliseconds(Math.Min(seconds * 1000.0, int.MaxValue - 1)));
        }
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(_abort.Token, timeout.Token);
        _cancels[run.TaskId] = cancel;
        Task started = taken.Started ? Task.CompletedTask : jobs.StartAsync(run.TaskId, run.LeaseToken!, options.Lease, CancellationToken.None);
        _ = started.ContinueWith(_ => TryCancel(cancel), CancellationToken.None, TaskContinuationOptions.NotOnRanToCompletion, TaskScheduler.Default);
        using var heartbeat = Heartbeat(run, cancel, started);
        object? result = null;
        Exception? error = null;
        try
        {
            // A scope per attempt: a handler may take scoped services (a DbContext) and they end with the attempt.
            await using var scope = services.CreateAsyncScope();
            var handler = scope.ServiceProvider.GetRequiredKeyedService<IJobHandler>(run.Type);
            result = await handler.HandleAsync(new JobContext(run, tasks, started), cancel.Token);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            error = ex;
        }
        // Why the token fired decides how the attempt is recorded.
        var why = error is null || !cancel.IsCancellationRequested ? null
            : _abort.IsCancellationRequested ? "interrupted by shutdown"
            : timeout.IsCancellationRequested ? $"timed out after {run.TimeoutSeconds} s"
            : "stopped on request";
        await finishing.WaitAsync(CancellationToken.None);
        room.Release();
        handled.TrySetResult();
        try
        {
            if (error is null)
            {
                // Queued behind the start: a short run's start and completion usually commit together.
                await Task.WhenAll(started, jobs.CompleteAsync(run.TaskId, run.LeaseToken!, result is { } r ? JsonSerializer.Serialize(r) : null,
                    CancellationToken.None));
            }
            else
            {
                await started;
                await FailAsync(run, error, why);
            }
        }
        catch (LeaseLostException lost)
        {
            log.LogInformation("Run {Run} was not recorded: {Reason}", run.TaskId, lost.Message);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The lease runs out and the scheduler retries the run.
            log.LogError(ex, "Recording the outcome of run {Run} failed", run.TaskId);
        }
        finally
        {
            // Only this attempt's entry: the same run may already be running again here (a lapsed reservation taken anew).
            _cancels.TryRemove(new KeyValuePair<string, CancellationTokenSource>(run.TaskId, cancel));
            await cancel.CancelAsync();
            finishing.Release();
        }
    }

    private static void TryCancel(CancellationTokenSource cancel)
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
            await jobs.FailAsync(new RunFailParams(run.TaskId, run.LeaseToken!, message, retryable,
                retryAfter is { } after ? time.GetUtcNow() + after : null), CancellationToken.None);
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

    /// <summary>Renews the lease every third of it, once the start has committed; a cancel request or a lost lease cancels the handler.</summary>
    private Timer Heartbeat(JobRun run, CancellationTokenSource cancel, Task started)
    {
        var period = options.Lease / 3;
        return new Timer(async _ =>
        {
            if (cancel.IsCancellationRequested || !started.IsCompletedSuccessfully)
            {
                return;
            }
            try
            {
                var beat = await jobs.HeartbeatAsync(run.TaskId, run.LeaseToken!, options.Lease, CancellationToken.None);
                if (beat.CancelRequested)
                {
                    TryCancel(cancel);
                }
            }
            catch (LeaseLostException)
            {
                TryCancel(cancel);
            }
            catch (ObjectDisposedException)
            {
                // The run finished while this beat was in flight.
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // An async timer callback must not throw (it would end the process); the next beat tries again.
                log.LogWarning(ex, "Heartbeat of run {Run} failed", run.TaskId);
            }
        }, null, period, period);
    }
}
