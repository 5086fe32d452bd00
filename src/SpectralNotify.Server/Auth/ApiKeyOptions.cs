namespace SpectralNotify.Server.Auth;

/// <summary>Bound from the <c>Auth</c> configuration section.</summary>
public sealed class ApiKeyOptions
{
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
