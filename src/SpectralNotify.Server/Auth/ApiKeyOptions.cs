namespace SpectralNotify.Server.Auth;

/// <summary>Bound from the <c>Auth</c> configuration section; checked at start by <see cref="ApiKeyOptionsValidator"/>.</summary>
public sealed class ApiKeyOptions
{
    /// <summary>
    /// The shortest accepted key, for every key (configured, from <c>SPECTRAL_API_KEY</c> or from
    /// <c>admin.key</c>): an empty or one-letter key would be guessable, and an empty key file is
    /// what a crash during first-start generation leaves behind.
    /// </summary>
    public const int MinKeyLength = 16;

    /// <summary>Extra keys with their scopes, e.g. <c>Auth:Keys:0:Key</c>, <c>Auth:Keys:0:Scopes:0=write</c>, <c>Auth:Keys:0:Name</c>.</summary>
    public List<ConfiguredKey> Keys { get; set; } = [];

    /// <summary>Reads of a single task (by id, its events, its live stream) need no key. Defaults to true.</summary>
    public bool PublicReads { get; set; } = true;
}

public sealed class ConfiguredKey
{
    public string Key { get; set; } = "";
    public string? Name { get; set; }
    public List<string> Scopes { get; set; } = [];
}
