using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SpectralNotify.Handlers;

namespace SpectralNotify.Worker;

/// <summary>Registers the handlers of a remote worker; returned by <c>AddSpectralNotifyWorker</c>.</summary>
public sealed class SpectralWorkerBuilder
{
    private readonly HandlerMap _handlers;

    internal SpectralWorkerBuilder(IServiceCollection services, HandlerMap handlers)
    {
        Services = services;
        _handlers = handlers;
    }

    /// <summary>The service collection the worker is registered in.</summary>
    public IServiceCollection Services { get; }

    /// <summary>
    /// Runs runs of <paramref name="type"/> with <typeparamref name="THandler"/>, resolved from a new DI
    /// scope for each attempt (so scoped services such as a DbContext live for one attempt). The worker
    /// claims only the types it has handlers for; runs of other types wait for a worker that has them.
    /// </summary>
    /// <param name="type">The run type (1–100 characters), as jobs and runs name it in <c>type</c>.</param>
    public SpectralWorkerBuilder AddHandler<THandler>(string type) where THandler : class, IJobHandler
    {
        if (string.IsNullOrWhiteSpace(type) || type.Length > 100)
        {
            throw new ArgumentException("A run type is 1 to 100 characters.", nameof(type));
        }
        _handlers.Add(type, typeof(THandler));
        Services.TryAddScoped<THandler>();
        return this;
    }
}
