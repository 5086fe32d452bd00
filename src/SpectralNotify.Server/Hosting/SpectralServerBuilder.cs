using SpectralNotify.Handlers;
using SpectralNotify.Server.Jobs.Workers;

namespace SpectralNotify.Server.Hosting;

/// <summary>
/// Returned by <c>AddSpectralNotifyServer</c>: adds the job handlers the server runs in process and
/// their queues. The same <see cref="IJobHandler"/> classes run in <c>SpectralNotify.Worker</c> on other machines.
/// </summary>
public sealed class SpectralServerBuilder
{
    internal SpectralServerBuilder(IServiceCollection services) => Services = services;

    /// <summary>The application's services.</summary>
    public IServiceCollection Services { get; }

    /// <summary>
    /// Runs runs of <paramref name="type"/> with <typeparamref name="THandler"/> in this process. The
    /// handler is resolved from a new DI scope for each attempt, so it may take scoped services.
    /// </summary>
    public SpectralServerBuilder AddHandler<THandler>(string type) where THandler : class, IJobHandler
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        Services.AddKeyedScoped<IJobHandler, THandler>(type);
        Services.Configure<WorkerOptions>(o => o.Types.Add(type));
        return this;
    }

    /// <summary>
    /// Runs at most <paramref name="concurrency"/> runs of <paramref name="queue"/> at once in this process.
    /// <c>Workers:Queues:&lt;name&gt;</c> in configuration overrides it.
    /// </summary>
    public SpectralServerBuilder WithQueue(string queue, int concurrency)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queue);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(concurrency);
        Services.Configure<WorkerOptions>(o => o.Queues[queue] = concurrency);
        return this;
    }
}
