using SpectralNotify.Client.Internal;
using SpectralNotify.Client.Models;

namespace SpectralNotify.Client.Resources;

/// <summary><c>/api/v1/stats</c>: the server's summary (what the dashboard's Overview shows).</summary>
public sealed class StatsResource
{
    private readonly SpectralHttp http;

    internal StatsResource(SpectralHttp http) => this.http = http;

    /// <summary>The summary now; <paramref name="window"/> is the throughput window in minutes, 1–1,440 (60 when null).</summary>
    [ApiRouteName("stats.get")]
    public Task<ServerStats> GetAsync(int? window = null, CancellationToken ct = default) =>
        http.CallAsync<ServerStats>(ApiRoutes.StatsGet, ApiRoutes.StatsGet.Path() + new QueryString().Add("window", window), null, null, ct);
}
