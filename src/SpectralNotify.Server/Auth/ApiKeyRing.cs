using System.Diagnostics.CodeAnalysis;
using SpectralNotify.Keys;
using SpectralNotify.Server.Hosting;

namespace SpectralNotify.Server.Auth;

/// <summary>
/// The accepted API keys. Keys are looked up by their SHA-256, so comparing a presented key never
/// leaks how many leading characters matched, and the raw keys are not kept in memory.
/// </summary>
public sealed class ApiKeyRing
{
    private readonly Dictionary<string, KeyIdentity> _byHash = new(StringComparer.Ordinal);

    public void Add(string key, string name, IEnumerable<string> scopes)
    {
        var granted = scopes.SelectMany(Auth.Scopes.Implied).Distinct(StringComparer.Ordinal).ToArray();
        if (granted.Length == 0)
        {
            throw new InvalidOperationException($"API key '{name}' has no valid scope (use read, write or admin).");
        }
        var hash = Hash(key);
        // The id is derived from the hash, so it is stable across restarts and nodes without storing anything.
        _byHash[hash] = new KeyIdentity(ApiKeySecrets.ConfiguredId(hash), name, granted);
    }

    public bool TryFind(string presented, [NotNullWhen(true)] out KeyIdentity? key)
    {
        // No accepted key is shorter, so a short (or empty) presented key never needs a lookup.
        key = null;
        return presented.Length >= ApiKeyOptions.MinKeyLength && _byHash.TryGetValue(Hash(presented), out key);
    }

    /// <summary>The configured keys, for listing (never their secrets).</summary>
    public IEnumerable<KeyIdentity> All => _byHash.Values;

    /// <summary>The configured key with this id (<c>cfg_…</c>), or null.</summary>
    public KeyIdentity? FindById(string id) => _byHash.Values.FirstOrDefault(k => k.Id == id);

    private static string Hash(string key) => ApiKeySecrets.Hash(key);

    /// <summary>
    /// Builds the ring from configuration: <c>SPECTRAL_API_KEY</c> (or the reference's
    /// <c>SPECTRAL_NOTIFY_API_KEY</c>) is the admin key; with neither set, a key is generated on
    /// first start, stored in <c>admin.key</c> in the data folder (mode 0600), and printed once.
    /// </summary>
    /// <remarks>Configured keys are checked by <see cref="ApiKeyOptionsValidator"/> before this runs; a bad <c>admin.key</c> throws <see cref="StartupException"/>.</remarks>
    public static ApiKeyRing Create(IConfiguration config, ApiKeyOptions options, string dataDirectory, TextWriter console) =>
        FromKeys(FindAdminKey(config, dataDirectory) ?? Generate(dataDirectory, console), options);

    /// <summary>
    /// The admin key as the server finds it: <c>SPECTRAL_API_KEY</c>, else <c>SPECTRAL_NOTIFY_API_KEY</c>,
    /// else <c>admin.key</c> in the data folder; null when there is none yet (the server then generates
    /// one). Used by <c>spectral tokens mint</c>, which must name the same key as the servers do.
    /// </summary>
    /// <exception cref="StartupException">A stored <c>admin.key</c> is too short.</exception>
    public static string? FindAdminKey(IConfiguration config, string dataDirectory)
    {
        var admin = AdminKeySettings.Select(s => config[s]).FirstOrDefault(k => !string.IsNullOrWhiteSpace(k));
        return admin is not null ? admin.Trim() : Load(Path.Combine(dataDirectory, "admin.key"));
    }

    /// <summary>The ring of <paramref name="adminKey"/> and the <c>Auth:Keys</c> of <paramref name="options"/>.</summary>
    public static ApiKeyRing FromKeys(string adminKey, ApiKeyOptions options)
    {
        var ring = new ApiKeyRing();
        ring.Add(adminKey, "admin", [Auth.Scopes.Admin]);
        for (var i = 0; i < options.Keys.Count; i++)
        {
            var k = options.Keys[i];
            if (string.IsNullOrWhiteSpace(k.Key))
            {
                throw new InvalidOperationException($"Auth:Keys:{i}:Key is empty.");
            }
            ring.Add(k.Key, ConfiguredName(k, i), k.Scopes);
        }
        return ring;
    }

    /// <summary>The name of configured key number <paramref name="index"/>: its <c>Name</c>, else <c>key&lt;index&gt;</c>.</summary>
    public static string ConfiguredName(ConfiguredKey key, int index) => string.IsNullOrWhiteSpace(key.Name) ? $"key{index}" : key.Name.Trim();

    /// <summary>The settings that name the admin key, in order of precedence.</summary>
    public static IReadOnlyList<string> AdminKeySettings { get; } = ["SPECTRAL_API_KEY", "SPECTRAL_NOTIFY_API_KEY"];

    private static string? Load(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        var stored = File.ReadAllText(path).Trim();
        if (stored.Length < ApiKeyOptions.MinKeyLength)
        {
            // An empty file is what a crash during generation leaves; accepting it would make "" a key.
            throw new StartupException(
                $"admin key file {path}={Secrets.MaskKey(stored)}: an API key needs at least {ApiKeyOptions.MinKeyLength} characters; " +
                "delete the file to generate a new key, or set SPECTRAL_API_KEY");
        }
        return stored;
    }

    private static string Generate(string dataDirectory, TextWriter console)
    {
        var path = Path.Combine(dataDirectory, "admin.key");
        Directory.CreateDirectory(dataDirectory);
        var key = ApiKeySecrets.NewSecret();
        var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var stream = new FileStream(path, fileOptions))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(key);
            writer.Flush();
            // fsync: the key is printed only once, so it must be on disk before it is shown.
            stream.Flush(flushToDisk: true);
        }
        console.WriteLine($"Generated an admin API key (stored in {path}; shown only this once):");
        console.WriteLine($"  {key}");
        return key;
    }
}
