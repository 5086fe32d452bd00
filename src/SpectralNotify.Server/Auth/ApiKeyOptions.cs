using SpectralNotify.Access;

namespace SpectralNotify.Server.Auth;

/// <summary>Bound from the <c>Auth</c> configuration section; checked at start by <see cref="ApiKeyOptionsValidator"/>.</summary>
public sealed class ApiKeyOptions
{
    /// <summary>
    /// The shortest accepted key, for every key (configured, from <c>SPECTRAL_API_KEY</c> or from
    /// <c>admin.key</c>): an empty or one-letter key would be guessable, and an empty key file is
    /// what a crash during first-start generation leaves behind.
    /// </summary>
    public const int MinKeyLength = 24;

    /// <summary>Extra keys with their scopes, e.g. <c>Auth:Keys:0:Key</c>, <c>Auth:Keys:0:Scopes:0=write</c>, <c>Auth:Keys:0:Name</c>.</summary>
    public List<ConfiguredKey> Keys { get; set; } = [];

    /// <summary>
    /// What a caller without a key or token may read: <c>None</c> (the default), <c>ById</c> (tasks,
    /// workflows, counters and runs by id) or <c>All</c> (also listing them, as the reference server's
    /// public <c>getAll</c> does).
    /// </summary>
    public AnonymousReads AnonymousReads { get; set; } = AnonymousReads.None;
}

public sealed class ConfiguredKey
{
    public string Key { get; set; } = "";
    public string? Name { get; set; }
    public List<string> Scopes { get; set; } = [];
}
