using System.Security.Cryptography;
using System.Text;

namespace SpectralNotify.Keys;

/// <summary>How key secrets, their hashes and key ids are made; shared by the server and the CLI.</summary>
public static class ApiKeySecrets
{
    /// <summary>Prefix of generated secrets, so a leaked one is recognisable in logs and secret scanners.</summary>
    public const string SecretPrefix = "sn_";

    /// <summary>Lower-case hex SHA-256 of the UTF-8 key. A fast hash suffices: secrets are 256 random bits, not passwords.</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary><c>sn_</c> and 32 random bytes in base64url (46 characters).</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary><c>key_</c> and 12 random bytes in hex.</summary>
    public static string NewId() => "key_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    /// <summary>
    /// The stable id of a configured key, from its hash: <c>cfg_</c> and the first 16 hex digits.
    /// It names the key in claims and lists without revealing anything usable.
    /// </summary>
    public static string ConfiguredId(string hash) => "cfg_" + hash[..16].ToLowerInvariant();
}
