using SpectralNotify.Keys;

namespace SpectralNotify.Storage;

/// <summary>Token signing keys shared by every node. Part of <see cref="IStore"/>.</summary>
public interface ISigningKeyStore
{
    /// <summary>Deletes the keys retired before <paramref name="retiredBefore"/>; returns how many.</summary>
    Task<int> SigningKeyDeleteRetiredAsync(DateTimeOffset retiredBefore, CancellationToken ct);

    /// <summary>Stores a key created now (the store's clock); <paramref name="secret"/> is usually <see cref="SigningKey.Generate"/>'s.</summary>
    /// <exception cref="SigningKeyAlreadyExistsException"/>
    Task<SigningKey> SigningKeyInsertAsync(string kid, ReadOnlyMemory<byte> secret, CancellationToken ct);

    /// <summary>
    /// Keys by creation time, oldest first (ties by kid): only those not retired, or with
    /// <paramref name="includeRetired"/> also the retired ones not deleted yet (to check tokens they
    /// signed before their retirement).
    /// </summary>
    Task<IReadOnlyList<SigningKey>> SigningKeyListAsync(bool includeRetired, CancellationToken ct);

    /// <summary>Retires the key now; false when no key with this kid is active (unknown or already retired).</summary>
    Task<bool> SigningKeyRetireAsync(string kid, CancellationToken ct);
}
