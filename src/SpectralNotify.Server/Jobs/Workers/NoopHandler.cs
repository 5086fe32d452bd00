using System.Text.Json;
using SpectralNotify.Handlers;

namespace SpectralNotify.Server.Jobs.Workers;

/// <summary>The built-in <c>noop</c> handler: completes at once (benchmarks, smoke tests).</summary>
public sealed class NoopHandler : IJobHandler
{
    /// <inheritdoc />
    public Task<JsonElement?> HandleAsync(IJobContext context, CancellationToken ct) => Task.FromResult<JsonElement?>(null);
}
