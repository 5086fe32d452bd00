using SpectralNotify.Health;
using SpectralNotify.Postgres;
using SpectralNotify.Realtime;

namespace SpectralNotify.Server.Hosting;

/// <summary>Runs the PostgreSQL LISTEN connection for the lifetime of the host, feeding other nodes' changes into the local <see cref="TaskFeed"/>.</summary>
/// <remarks>Reports as <c>postgres-listener</c> in <see cref="HealthRegistry"/>: <c>/readyz</c> answers 503 while it is disconnected.</remarks>
public sealed class PostgresListenerService(PostgresStoreOptions options, TaskFeed feed, Realtime.TaskHub hub, Realtime.V2.ListHub lists, ILogger<PostgresChangeListener> log,
    HealthRegistry health, TimeProvider time) : IHostedService, IAsyncDisposable
{
    private PostgresChangeListener? _listener;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _listener = new PostgresChangeListener(options, feed, log, health.Component(PostgresChangeListener.HealthName), time);
        // Other nodes' changes committed while LISTEN was down were never announced here: every live
        // subscription reads storage after its last seq, so none is left waiting for a later change.
        _listener.Reconnected += hub.Resync;
        _listener.Reconnected += lists.Resync;
        await _listener.StartAsync(cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_listener is not null)
        {
            await _listener.DisposeAsync();
            _listener = null;
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);
}
