using SpectralNotify.Client.Internal;
using SpectralNotify.Client.Models;

namespace SpectralNotify.Client.Resources;

/// <summary><c>/api/v1/config</c>: typed settings (admin); secret values come back as null.</summary>
public sealed class ConfigResource
{
    private readonly SpectralHttp http;

    internal ConfigResource(SpectralHttp http) => this.http = http;

    /// <summary>Every entry.</summary>
    [ApiRouteName("config.list")]
    public async Task<IReadOnlyList<ConfigEntry>> ListAsync(CancellationToken ct = default) =>
        (await http.CallAsync<Page<ConfigEntry>>(ApiRoutes.ConfigList, ApiRoutes.ConfigList.Path(), null, null, ct).ConfigureAwait(false)).Data;

    /// <summary>Reads an entry.</summary>
    [ApiRouteName("config.get")]
    public Task<ConfigEntry> GetAsync(string key, CancellationToken ct = default) =>
        http.CallAsync<ConfigEntry>(ApiRoutes.ConfigGet, ApiRoutes.ConfigGet.Path(key), null, null, ct);

    /// <summary>Creates or replaces an entry; the value must fit its type (400 otherwise).</summary>
    [ApiRouteName("config.put")]
    public Task<ConfigEntry> PutAsync(string key, PutConfigRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return http.CallAsync<ConfigEntry>(ApiRoutes.ConfigPut, ApiRoutes.ConfigPut.Path(key), request, null, ct);
    }

    /// <summary>Deletes an entry; 404 when there is none.</summary>
    [ApiRouteName("config.delete")]
    public Task DeleteAsync(string key, CancellationToken ct = default) =>
        http.CallAsync(ApiRoutes.ConfigDelete, ApiRoutes.ConfigDelete.Path(key), null, null, ct);
}
