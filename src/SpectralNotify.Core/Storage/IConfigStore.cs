using SpectralNotify.Configuration;

namespace SpectralNotify.Storage;

/// <summary>Typed runtime configuration entries. Part of <see cref="IStore"/>.</summary>
public interface IConfigStore
{
    /// <summary>Deletes a configuration entry; false when it did not exist.</summary>
    Task<bool> ConfigDeleteAsync(string key, CancellationToken ct);

    Task<ConfigEntry?> ConfigGetAsync(string key, CancellationToken ct);

    /// <summary>All entries, ordered by key.</summary>
    Task<IReadOnlyList<ConfigEntry>> ConfigListAsync(CancellationToken ct);

    /// <summary>Inserts or replaces an entry (keeping its createdAt, bumping its version); returns it and whether it was created.</summary>
    Task<(ConfigEntry Entry, bool Created)> ConfigPutAsync(ConfigEntry entry, CancellationToken ct);
}
