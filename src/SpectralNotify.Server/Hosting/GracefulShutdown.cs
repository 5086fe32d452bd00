using Microsoft.Extensions.Options;
using SpectralNotify.Server.Jobs.Workers;
using SpectralNotify.Server.Observability;

namespace SpectralNotify.Server.Hosting;

/// <summary>
/// Makes SIGTERM and Ctrl+C a clean stop. When the host starts to stop it logs what is being closed,
/// then fires <see cref="Stopping"/>: live connections end with their resume point
/// (<see cref="Realtime.GoingAway"/>) and waiting long-poll claims answer an empty 200
/// (<see cref="Jobs.WorkersApi"/>), while in-process handlers drain (<see cref="InProcessWorker"/>).
/// It logs again when the host has stopped.
/// </summary>
/// <remarks>
/// <see cref="Stopping"/> is fired after the first log line rather than letting the endpoints watch
/// <c>ApplicationStopping</c> directly: token callbacks run inline, so a claim could answer (and stop
/// being counted) before the line that counts it. The host's <see cref="HostOptions.ShutdownTimeout"/>
/// is <c>Workers:DrainSeconds</c> plus <see cref="Margin"/>: the drain is never cut short, and handlers
/// that ignore their cancellation hold the process at most <see cref="Margin"/> longer.
/// </remarks>
public sealed class GracefulShutdown : IHostedService, IDisposable
{
    /// <summary>Shutdown time beyond the drain, for cancelled handlers to record their outcome. Defaults to 1 second.</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenRegistration _onStopping;
    private readonly CancellationTokenRegistration _onStopped;
    private readonly SpectralMetrics _metrics;
    private readonly InProcessWorker _worker;
    private readonly WorkerOptions _workers;
    private readonly TimeProvider _time;
    private readonly ILogger<GracefulShutdown> _log;
    private long _startedAt;

    public GracefulShutdown(IHostApplicationLifetime lifetime, SpectralMetrics metrics, InProcessWorker worker, WorkerOptions workers,
        TimeProvider time, ILogger<GracefulShutdown> log)
    {
        _metrics = metrics;
        _worker = worker;
        _workers = workers;
        _time = time;
        _log = log;
        _onStopping = lifetime.ApplicationStopping.Register(OnStopping);
        _onStopped = lifetime.ApplicationStopped.Register(OnStopped);
    }

    /// <summary>Fires once the server starts to stop: what is open ends now, with an answer the client can act on.</summary>
    public CancellationToken Stopping => _stopping.Token;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void OnStopping()
    {
        _startedAt = _time.GetTimestamp();
        _log.LogInformation(
            "Shutting down: closing {Live} live connections ({WebSockets} WebSocket with 1001, {Sse} SSE) with their resume seq, "
            + "answering {Claims} waiting claims with no runs, draining {Runs} in-process runs (up to {Drain} s)",
            _metrics.LiveWebSockets + _metrics.LiveSse, _metrics.LiveWebSockets, _metrics.LiveSse, _metrics.ClaimsWaiting, _worker.Running,
            _workers.DrainTimeout.TotalSeconds);
        _stopping.Cancel();
    }

    private void OnStopped() =>
        _log.LogInformation("Shutdown complete in {Elapsed:F0} ms: {Live} live connections left, {Runs} in-process runs left",
            _time.GetElapsedTime(_startedAt).TotalMilliseconds, _metrics.LiveWebSockets + _metrics.LiveSse, _worker.Running);

    public void Dispose()
    {
        _onStopping.Dispose();
        _onStopped.Dispose();
        _stopping.Dispose();
    }
}

public static class GracefulShutdownServiceCollectionExtensions
{
    /// <summary>Registers <see cref="GracefulShutdown"/> and sets the host's shutdown timeout from the in-process drain.</summary>
    public static IServiceCollection AddGracefulShutdown(this IServiceCollection services)
    {
        services.AddOptions<HostOptions>().Configure<IServiceProvider>((host, sp) =>
        {
            try
            {
                host.ShutdownTimeout = sp.GetRequiredService<WorkerOptions>().DrainTimeout + GracefulShutdown.Margin;
            }
            catch (OptionsValidationException)
            {
                // A bad Workers setting: the start-up checks report it in one line and the host never runs.
            }
        });
        services.AddSingleton<GracefulShutdown>();
        return services.AddHostedService(sp => sp.GetRequiredService<GracefulShutdown>());
    }
}
