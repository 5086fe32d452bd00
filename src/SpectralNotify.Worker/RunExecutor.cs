using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpectralNotify.Client;
using SpectralNotify.Handlers;
using SpectralNotify.Worker.Protocol;

namespace SpectralNotify.Worker;

/// <summary>
/// Runs one claimed attempt: resolves its handler in a new scope, heartbeats while it runs, and
/// records the outcome (complete, or fail with the reason). Why the handler's token fired decides
/// the failure: a cancel asked on the server (<c>stopped on request</c>; the server ends the run
/// canceled), the attempt's timeout, or the host's drain running out (<c>interrupted by
/// shutdown</c>, retried at once by any worker). A lost lease records nothing: the attempt already
/// belongs to the server's sweep, and the server would refuse it with 409.
/// </summary>
internal sealed class RunExecutor(
    IServiceScopeFactory scopes, HandlerMap handlers, WorkerApi api, CallRetry retry, IOptions<SpectralWorkerOptions> options,
    ILogger<RunExecutor> log)
{
    private readonly SpectralWorkerOptions _options = options.Value;

    /// <param name="run">The claimed attempt.</param>
    /// <param name="interrupt">Fires when the drain runs out: the handler is stopped and the attempt handed back.</param>
    /// <param name="abandon">Fires when the host stops for good: calls still being retried give up (the lease runs out instead).</param>
    public async Task RunAsync(ClaimedRun run, CancellationToken interrupt, CancellationToken abandon)
    {
        using var timeout = new CancellationTokenSource();
        if (run.TimeoutSeconds is { } seconds)
        {
            // CancelAfter throws beyond ~24.8 days; a longer timeout is no timeout in practice.
            timeout.CancelAfter(TimeSpan.FromMilliseconds(Math.Min(seconds * 1000.0, int.MaxValue - 1)));
        }
        using var cancelRequested = new CancellationTokenSource();
        using var leaseLost = new CancellationTokenSource();
        using var handlerToken = CancellationTokenSource.CreateLinkedTokenSource(interrupt, timeout.Token, cancelRequested.Token, leaseLost.Token);
        using var gone = CancellationTokenSource.CreateLinkedTokenSource(leaseLost.Token, abandon);
        using var heartbeatStop = new CancellationTokenSource();
        var heartbeat = HeartbeatAsync(run, cancelRequested, leaseLost, heartbeatStop.Token);

        JsonElement? result = null;
        Exception? error = null;
        try
        {
            result = await HandleAsync(run, handlerToken.Token, gone.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            error = ex;
        }
        await heartbeatStop.CancelAsync().ConfigureAwait(false);
        await heartbeat.ConfigureAwait(false);
        if (leaseLost.IsCancellationRequested)
        {
            log.LogWarning("Run {Run} attempt {Attempt}: the lease was lost, so the outcome is not recorded (the server retries or ends the run)", run.Id, run.Attempt);
            return;
        }
        var why = error is null || !handlerToken.IsCancellationRequested ? null
            : cancelRequested.IsCancellationRequested ? "stopped on request"
            : timeout.IsCancellationRequested ? $"timed out after {run.TimeoutSeconds} s"
            : interrupt.IsCancellationRequested ? Interrupted
            : null;
        await RecordAsync(run, result, error, why, gone.Token).ConfigureAwait(false);
    }

    /// <summary>The error of an attempt the drain cut short; another worker retries it at once.</summary>
    public const string Interrupted = "interrupted by shutdown";

    private async Task<JsonElement?> HandleAsync(ClaimedRun run, CancellationToken ct, CancellationToken gone)
    {
        if (!handlers.TryGet(run.Type, out var type))
        {
            throw new JobFailure($"worker {_options.WorkerId} has no handler for run type '{run.Type}' (it handles: {string.Join(", ", handlers.Types)})", retryable: false);
        }
        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var handler = (IJobHandler)scope.ServiceProvider.GetRequiredService(type);
            return await handler.HandleAsync(new RemoteJobContext(run, api, retry, gone), ct).ConfigureAwait(false);
        }
    }

    private async Task RecordAsync(ClaimedRun run, JsonElement? result, Exception? error, string? canceledBecause, CancellationToken gone)
    {
        var key = "w-" + Guid.NewGuid().ToString("N");
        try
        {
            if (error is null)
            {
                await retry.RunAsync($"run {run.Id}: complete", c => api.CompleteAsync(run.Id, new CompleteBody(run.LeaseToken, result), key, c), gone)
                    .ConfigureAwait(false);
                log.LogInformation("Run {Run} ({Type}) attempt {Attempt} completed", run.Id, run.Type, run.Attempt);
                return;
            }
            var failure = Failure(error, canceledBecause);
            await retry.RunAsync($"run {run.Id}: fail", c => api.FailAsync(run.Id, failure with { LeaseToken = run.LeaseToken }, key, c), gone)
                .ConfigureAwait(false);
            if (canceledBecause is null)
            {
                log.LogWarning(error, "Run {Run} ({Type}) attempt {Attempt} failed ({Retry})", run.Id, run.Type, run.Attempt,
                    failure.Retryable ? "retryable" : "not retryable");
            }
            else
            {
                log.LogInformation("Run {Run} ({Type}) attempt {Attempt} ended: {Reason}", run.Id, run.Type, run.Attempt, canceledBecause);
            }
        }
        catch (SpectralApiException e) when (e.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.NotFound)
        {
            log.LogWarning("Run {Run} attempt {Attempt} was not recorded: {Reason}", run.Id, run.Attempt, e.Message);
        }
        catch (OperationCanceledException) when (gone.IsCancellationRequested)
        {
            log.LogWarning("Run {Run} attempt {Attempt} was not recorded before the host stopped; its lease runs out and the server retries it", run.Id, run.Attempt);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            log.LogError(e, "Recording the outcome of run {Run} attempt {Attempt} failed; its lease runs out and the server retries it", run.Id, run.Attempt);
        }
    }

    /// <summary>The fail body for an error; <paramref name="canceledBecause"/> is set when the handler's token caused it.</summary>
    internal static FailBody Failure(Exception error, string? canceledBecause) => error switch
    {
        JobFailure f => new FailBody("", f.Message, f.Retryable, f.RetryAfter is { } after ? Seconds(after) : null),
        OperationCanceledException when canceledBecause is not null =>
            new FailBody("", canceledBecause, true, canceledBecause == Interrupted ? 0 : null),
        _ => new FailBody("", $"{error.GetType().Name}: {error.Message}", true, null),
    };

    private static int Seconds(TimeSpan after) => (int)Math.Clamp(Math.Ceiling(after.TotalSeconds), 0, 7 * 86400);

    /// <summary>
    /// Renews the lease every third of it. A cancel asked on the server, or a lost lease (409/404),
    /// fires the handler's token; a heartbeat the server does not answer is retried until it does.
    /// </summary>
    private async Task HeartbeatAsync(ClaimedRun run, CancellationTokenSource cancelRequested, CancellationTokenSource leaseLost, CancellationToken stop)
    {
        var leaseSeconds = (int)_options.LeaseDuration.TotalSeconds;
        using var timer = new PeriodicTimer(_options.LeaseDuration / 3);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                try
                {
                    var beat = await retry.RunAsync($"run {run.Id}: heartbeat",
                        c => api.HeartbeatAsync(run.Id, new HeartbeatBody(run.LeaseToken, leaseSeconds), c), stop).ConfigureAwait(false);
                    if (beat.CancelRequested && !cancelRequested.IsCancellationRequested)
                    {
                        log.LogInformation("Run {Run}: cancel requested on the server; stopping its handler", run.Id);
                        await cancelRequested.CancelAsync().ConfigureAwait(false);
                    }
                }
                catch (SpectralApiException e) when (e.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.NotFound)
                {
                    log.LogWarning("Run {Run}: lease lost ({Reason}); stopping its handler", run.Id, e.Message);
                    await leaseLost.CancelAsync().ConfigureAwait(false);
                    return;
                }
                catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
                {
                    log.LogError(e, "Run {Run}: heartbeat refused; trying again at the next beat", run.Id);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The handler returned.
        }
    }
}
