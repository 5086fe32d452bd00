using SpectralNotify.Tasks;

namespace SpectralNotify.Keys;

/// <summary>Another key (in the database or in configuration) already has this name (409).</summary>
public sealed class ApiKeyNameTakenException(string name) : SpectralException($"An API key named '{name}' already exists.")
{
    public string Name { get; } = name;
}

/// <summary>No database key with this id (404).</summary>
public sealed class ApiKeyNotFoundException(string id) : SpectralException($"API key '{id}' does not exist.")
{
    public string KeyId { get; } = id;
}

/// <summary>The key comes from configuration, so only a change of configuration can remove it (409).</summary>
public sealed class ApiKeyConfiguredException(string id, string name)
    : SpectralException($"API key '{id}' ({name}) is set in configuration; remove it there (Auth:Keys or SPECTRAL_API_KEY) and restart.")
{
    public string KeyId { get; } = id;
}
