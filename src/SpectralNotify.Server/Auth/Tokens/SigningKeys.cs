using Microsoft.IdentityModel.Tokens;
using SpectralNotify.Keys;
using SpectralNotify.Storage;

namespace SpectralNotify.Server.Auth.Tokens;

/// <summary>
/// The HS256 signing keys, shared by every node through the database and cached here. The newest
/// active key signs; every key not yet deleted verifies, so a rotation (a new key, the old one
/// retired) never invalidates a token already handed out. A retired key is deleted only once every
/// token it could have signed has expired.
/// </summary>
public sealed class SigningKeys(IStore store, TimeProvider time, ILogger<SigningKeys> log)
{
    /// <summary>After this age the signing key is rotated at the next mint.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    /// <summary>Another node's new key is picked up within this time, or at once when a token names it.</summary>
    public static readonly TimeSpan Refresh = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private IReadOnlyList<SigningKey> _keys = [];
    private DateTimeOffset _loadedAt = DateTimeOffset.MinValue;

    /// <summary>The key to sign with now, creating the first key (or a fresh one past <see cref="Lifetime"/>).</summary>
    public async Task<SigningKey> CurrentAsync(CancellationToken ct)
    {
        var keys = await KeysAsync(ct);
        var newest = keys.LastOrDefault(k => k.RetiredAt is null);
        if (newest is not null && time.GetUtcNow() - newest.CreatedAt < Lifetime)
        {
            return newest;
        }
        return await RotateAsync(ct);
    }

    /// <summary>The key named <paramref name="kid"/>, reloading once when this node does not know it yet.</summary>
    public async Task<SigningKey?> FindAsync(string kid, CancellationToken ct)
    {
        var key = (await KeysAsync(ct)).FirstOrDefault(k => k.Kid == kid);
        if (key is null && time.GetUtcNow() - _loadedAt > TimeSpan.FromSeconds(1))
        {
            key = (await LoadAsync(ct)).FirstOrDefault(k => k.Kid == kid);
        }
        return key;
    }

    /// <summary>Adds a new signing key and retires the others; tokens they signed stay valid until they expire.</summary>
    public async Task<SigningKey> RotateAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var (kid, secret) = SigningKey.Generate();
            var created = await store.SigningKeyInsertAsync(kid, secret, ct);
            // Read afresh: this node's copy may predate another node's key (or, in the CLI, be empty).
            foreach (var old in (await LoadLockedAsync(ct)).Where(k => k.RetiredAt is null && k.Kid != created.Kid))
            {
                await store.SigningKeyRetireAsync(old.Kid, ct);
            }
            // Every token a retired key signed has expired by then (clock skew allowed for).
            var deleted = await store.SigningKeyDeleteRetiredAsync(time.GetUtcNow() - TokenIssuer.MaxTtl - TokenIssuer.ClockSkew - Refresh, ct);
            log.LogInformation("Token signing key rotated: {Kid} signs from now on; {Deleted} long-retired keys deleted", created.Kid, deleted);
            await LoadLockedAsync(ct);
            return created;
        }
        finally
        {
            _gate.Release();
        }
    }

    public static SymmetricSecurityKey ToSecurityKey(SigningKey key) => new(key.Secret.ToArray()) { KeyId = key.Kid };

    private async Task<IReadOnlyList<SigningKey>> KeysAsync(CancellationToken ct) =>
        time.GetUtcNow() - _loadedAt < Refresh ? _keys : await LoadAsync(ct);

    private async Task<IReadOnlyList<SigningKey>> LoadAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            return await LoadLockedAsync(ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<IReadOnlyList<SigningKey>> LoadLockedAsync(CancellationToken ct)
    {
        _keys = await store.SigningKeyListAsync(includeRetired: true, ct);
        _loadedAt = time.GetUtcNow();
        return _keys;
    }
}
