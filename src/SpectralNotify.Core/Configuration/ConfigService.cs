using System.Text.Json;
using SpectralNotify.Storage;

namespace SpectralNotify.Configuration;

/// <summary>
/// Server-side access to configuration values, secrets included (they are hidden only from the API).
/// </summary>
public sealed class ConfigService(IStore store)
{
    /// <summary>The value of <paramref name="key"/> converted to <typeparamref name="T"/>, or <paramref name="fallback"/> when absent.</summary>
    public async Task<T?> GetAsync<T>(string key, T? fallback, CancellationToken ct)
    {
        var entry = await store.ConfigGetAsync(key, ct);
        return entry is null ? fallback : JsonSerializer.Deserialize<T>(entry.Value);
    }
}
