using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace SpectralNotify.Tests.Infrastructure;

/// <summary>
/// Connections whose close the test decides. A request with <see cref="Header"/> naming one gets a
/// connection lifetime feature whose <c>ConnectionClosed</c> fires on <see cref="Close"/>, while the
/// real socket stays open. It stands in for what real sockets show only under load: Kestrel starting
/// a request on a kept-alive HTTP/1.1 connection the client has already closed, with a
/// <c>RequestAborted</c> that never fires (see the server's <c>ClientConnection</c>).
/// </summary>
internal sealed class ClosableConnections
{
    public const string Header = "X-Test-Connection";

    private readonly ConcurrentDictionary<string, CancellationTokenSource> _closed = new();

    /// <summary>Registers the middleware that hands out the features (<c>TestHost.StartAsync(services: connections.Install)</c>).</summary>
    public void Install(IServiceCollection services) => services.AddSingleton<IStartupFilter>(new Filter(this));

    public void Close(string name) => Source(name).Cancel();

    private CancellationTokenSource Source(string name) => _closed.GetOrAdd(name, _ => new CancellationTokenSource());

    private sealed class Filter(ClosableConnections connections) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, following) =>
            {
                if (context.Request.Headers[Header].ToString() is { Length: > 0 } name)
                {
                    context.Features.Set<IConnectionLifetimeFeature>(new Lifetime(connections.Source(name).Token));
                }
                return following(context);
            });
            next(app);
        };
    }

    private sealed class Lifetime(CancellationToken closed) : IConnectionLifetimeFeature
    {
        public CancellationToken ConnectionClosed { get; set; } = closed;

        public void Abort()
        {
        }
    }
}
