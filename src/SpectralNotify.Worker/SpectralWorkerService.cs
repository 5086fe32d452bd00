using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SpectralNotify.Worker;

/// <summary>
/// The remote worker's hosted service: one claim loop per queue while the host runs; on stop, claiming
/// ends, running attempts get <see cref="SpectralWorkerOptions.DrainTimeout"/> to finish, then their
/// token fires and each is handed back to the server (<c>interrupted by shutdown</c>, retryable at once).
/// </summary>
internal sealed class SpectralWorkerService(
    IOptions<SpectralWorkerOptions> options, HandlerMap handlers, WorkerApi api, CallRetry retry, RunExecutor executor,
    ILoggerFactory loggers) : BackgroundService
{
    /// <summary>How long interrupted attempts get to report their failure before the worker gives up on them.</summary>
    private static readonly TimeSpan ReportGrace = TimeSpan.FromSeconds(5);

    private readonly SpectralWorkerOptions _options = options.Value;
    private readonly ILogger _log = loggers.CreateLogger<SpectralWorkerService>();
    private readonly CancellationTokenSource _interrupt = new();
    private readonly CancellationTokenSource _abandon = new();
    private readonly HashSet<Task> _running = [];
    private readonly object _gate = new(); // not System.Threading.Lock: the package also targets net8.0

    /// <summary>Attempts running now (tests and diagnostics).</summary>
    internal int Running
    {
        get { lock (_gate) { return _running.Count; } }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Returns to the host at once, so its start is not held up by the first claim.
        await Task.Yield();
        var types = handlers.Types;
        if (types.Count == 0)
        {
            throw Fatal(new WorkerConfigurationException("No job handlers are registered: call AddSpectralNotifyWorker(...).AddHandler<THandler>(\"type\")."));
        }
        if (types.Count > 100)
        {
            throw Fatal(new WorkerConfigurationException($"A worker claims at most 100 run types; {types.Count} handlers are registered. Split them over several workers."));
        }
        var queues = _options.EffectiveQueues;
        _log.LogInformation("SpectralNotify worker {WorkerId} claims {Types} from {Queues} on {Server}", _options.WorkerId, string.Join(", ", types),
            string.Join(", ", queues.Select(q => $"{q.Key} (x{q.Value})")), _options.BaseAddress);
        using var claiming = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var loops = queues.Select(q => LoopAsync(new QueueLoop(q.Key, q.Value, _options, types, api, retry, executor,
            loggers.CreateLogger<QueueLoop>()), claiming)).ToList();
        await Task.WhenAll(loops).ConfigureAwait(false);
    }

    /// <summary>Runs one queue's loop; a fatal refusal stops every queue's claiming and the host.</summary>
    private async Task LoopAsync(QueueLoop loop, CancellationTokenSource claiming)
    {
        try
        {
            await loop.RunAsync(claiming.Token, _interrupt.Token, _abandon.Token, Track).ConfigureAwait(false);
        }
        catch (WorkerConfigurationException e)
        {
            await claiming.CancelAsync().ConfigureAwait(false);
            throw Fatal(e);
        }
    }

    /// <summary>
    /// Logs the refusal and sets the process exit code to 1: the host stops on this service's exception
    /// (BackgroundServiceExceptionBehavior.StopHost) but would still exit 0, and a supervisor (systemd,
    /// Kubernetes) must see a failure, not a clean stop.
    /// </summary>
    private WorkerConfigurationException Fatal(WorkerConfigurationException e)
    {
        _log.LogCritical(e, "SpectralNotify worker {WorkerId} stops claiming: {Reason}", _options.WorkerId, e.Message);
        Environment.ExitCode = 1;
        return e;
    }

    private void Track(Task attempt)
    {
        lock (_gate)
        {
            _running.Add(attempt);
        }
        attempt.ContinueWith(t =>
        {
            lock (_gate)
            {
                _running.Remove(t);
            }
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>
    /// Stops claiming, then drains: running attempts get the drain timeout, then are interrupted and
    /// report themselves failed-retryable. <paramref name="cancellationToken"/> (the host's shutdown
    /// timeout) ends everything at once.
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        using var hostGivesUp = cancellationToken.Register(_abandon.Cancel);
        Task drained;
        int count;
        lock (_gate)
        {
            count = _running.Count;
            drained = Task.WhenAll(_running);
        }
        if (count == 0)
        {
            return;
        }
        _log.LogInformation("SpectralNotify worker {WorkerId} drains {Count} running attempt(s) for up to {Drain}", _options.WorkerId, count, _options.DrainTimeout);
        if (!await CompletesWithinAsync(drained, _options.DrainTimeout, cancellationToken).ConfigureAwait(false))
        {
            _log.LogWarning("SpectralNotify worker {WorkerId}: drain time is up; interrupting the attempts still running, to be retried elsewhere", _options.WorkerId);
            await _interrupt.CancelAsync().ConfigureAwait(false);
            _abandon.CancelAfter(ReportGrace);
            await CompletesWithinAsync(drained, Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<bool> CompletesWithinAsync(Task task, TimeSpan timeout, CancellationToken ct)
    {
        try
        {
            await task.WaitAsync(timeout, ct).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return false;
        }
    }

    public override void Dispose()
    {
        _interrupt.Dispose();
        _abandon.Dispose();
        base.Dispose();
    }
}
