namespace SpectralNotify.Server.Jobs.Workers;

/// <summary>
/// In-process workers: <c>services.AddSpectralNotify().AddJobHandler&lt;THandler&gt;("type")</c>, and
/// per-queue concurrency with <see cref="WithQueue"/> (or <c>Workers:Queues:&lt;name&gt;=N</c> in
/// configuration). The built-in <c>noop</c> handler is always there. Each call adds a
/// <c>Configure&lt;WorkerOptions&gt;</c> step, applied in registration order when the worker starts.
/// </summary>
public sealed class SpectralNotifyBuilder(IServiceCollection services)
{
    public IServiceCollection Services => services;

    public SpectralNotifyBuilder AddJobHandler<THandler>(string type) where THandler : class, IJobHandler
    {
        services.AddKeyedTransient<IJobHandler, THandler>(type);
        services.Configure<WorkerOptions>(o => o.Types.Add(type));
        return this;
    }

    /// <summary>Runs at most <paramref name="concurrency"/> runs of <paramref name="queue"/> at once in this process.</summary>
    public SpectralNotifyBuilder WithQueue(string queue, int concurrency)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(concurrency);
        services.Configure<WorkerOptions>(o => o.Queues[queue] = concurrency);
        return this;
    }
}

/// <summary>What the in-process worker takes: its handler types and queues.</summary>
public sealed class WorkerOptions
{
    /// <summary>Job types with a registered handler.</summary>
    public HashSet<string> Types { get; } = new(StringComparer.Ordinal);

    /// <summary>Queue → how many runs of it may run at once here. Defaults to <c>default = 8</c>.</summary>
    public Dictionary<string, int> Queues { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// How many runs each queue may reserve beyond its concurrency: its local queue. Reserving many
    /// runs at once spares the database a claim per few runs, which is what bounds a queue of short
    /// runs; reserved runs are not started (their tasks stay pending) and a reservation that lapses
    /// gives its run back. The cost: runs waiting here cannot be taken by another node until their
    /// lease runs out. Default 0: reserve only for free slots.
    /// </summary>
    public int Prefetch { get; set; }

    /// <summary>Lease taken per claim; heartbeats renew it every third of it.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often an idle queue looks for work when nothing woke it (runs enqueued on other nodes).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>On shutdown, how long running handlers may finish before they are cancelled (and retried elsewhere).</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>False: this process claims nothing (an API-only node).</summary>
    public bool Enabled { get; set; } = true;

    public string WorkerId { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";
}

public static class SpectralNotifyServiceCollectionExtensions
{
    /// <summary>Registers the in-process worker (once) and returns the builder to add handlers to it.</summary>
    public static SpectralNotifyBuilder AddSpectralNotify(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(InProcessWorker)))
        {
            return new SpectralNotifyBuilder(services);
        }
        services.AddOptions<WorkerOptions>();
        // The worker takes the options object itself, as it did before options were composed.
        services.AddSingleton(sp => sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<WorkerOptions>>().Value);
        services.AddSingleton<InProcessWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<InProcessWorker>());
        return new SpectralNotifyBuilder(services).AddJobHandler<NoopHandler>("noop");
    }
}
