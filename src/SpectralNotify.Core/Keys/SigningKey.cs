using System.Security.Cryptography;

namespace SpectralNotify.Keys;

/// <summary>
/// A secret for signing tokens (HS256), shared by every node through the database. Rotation adds a
/// new key and retires the old one; a retired key signs nothing new and is deleted once no token it
/// signed can still be valid.
/// </summary>
public sealed record SigningKey
{
    /// <summary>The number of random bytes in a generated secret (256 bits, the HS256 key size).</summary>
    public const int SecretBytes = 32;

    /// <summary>The key id carried in a token's <c>kid</c> header.</summary>
    public required string Kid { get; init; }

    public required ReadOnlyMemory<byte> Secret { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? RetiredAt { get; init; }

    /// <summary>A new kid (<c>sk_</c> and 12 random bytes in hex) and 32 random bytes.</summary>
    public static (string Kid, byte[] Secret) Generate() =>
        ("sk_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)), RandomNumberGenerator.GetBytes(SecretBytes));

    public bool Equals(SigningKey? other) => other is not null && Kid == other.Kid && Secret.Span.SequenceEqual(other.Secret.Span)
        && CreatedAt == other.CreatedAt && RetiredAt == other.RetiredAt;

    public override int GetHashCode() => Kid.GetHashCode(StringComparison.Ordinal);
}

/// <summary>A signing key with this kid already exists (409).</summary>
public sealed class SigningKeyAlreadyExistsException(string kid) : Tasks.SpectralException($"Signing key '{kid}' already exists.")
{
    public string Kid { get; } = kid;
}
