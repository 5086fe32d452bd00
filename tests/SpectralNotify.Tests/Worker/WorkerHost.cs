using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SpectralNotify.Tests.Infrastructure;
using SpectralNotify.Worker;

namespace SpectralNotify.Tests.Worker;

/// <summary>
/// A Generic Host running <c>AddSpectralNotifyWorker</c> in the test process against a real server,
/// with a short long poll; its log (information and up) is kept in <see cref="Log"/> so a test can see
/// the worker retrying through an outage, and written to the test's output at the end.
/// </summary>
internal sealed class WorkerHost : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _stopped;

    private readonly ITestOutputHelper? _output;

    private WorkerHost(IHost host, ErrorLog log, ITestOutputHelper? output)
    {
        _host = host;
        Log = log;
        _output = output;
    }

    public ErrorLog Log { get; }

    public IServiceProvider Services => _host.Services;

    public static async Task<WorkerHost> StartAsync(Uri server, Action<SpectralWorkerBuilder> handlers, Action<SpectralWorkerOptions>? configure = null,
        Action<IServiceCollection>? services = null, ITestOutputHelper? output = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var log = new ErrorLog(LogLevel.Information);
        builder.Logging.AddProvider(log);
        // One line per HTTP request would bury the worker's own lines.
        builder.Logging.AddFilter("System.Net.Http", LogLevel.Warning);
        var worker = builder.Services.AddSpectralNotifyWorker(o =>
        {
            o.BaseAddress = server;
            o.ApiKey = WorkerServer.Key;
            o.WorkerId = "test-worker-" + Guid.NewGuid().ToString("N")[..6];
            o.Queues["default"] = 2;
            // Long enough that a heartbeat delayed by a loaded CI machine does not lose the lease.
            o.LeaseDuration = TimeSpan.FromSeconds(30);
            o.ClaimWait = TimeSpan.FromSeconds(5);
            o.MaxRetryDelay = TimeSpan.FromSeconds(1);
            configure?.Invoke(o);
        });
        handlers(worker);
        services?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        return new WorkerHost(host, log, output);
    }

    /// <summary>Stops the host as Ctrl+C would: claiming ends, running attempts drain.</summary>
    public async Task StopAsync()
    {
        _stopped = true;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _host.StopAsync(cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopped)
        {
            await StopAsync();
        }
        _host.Dispose();
        _output?.WriteLine(string.Join(Environment.NewLine, Log.Entries));
    }
}
