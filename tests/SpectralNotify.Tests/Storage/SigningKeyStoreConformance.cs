using SpectralNotify.Keys;
using SpectralNotify.Storage;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Storage;

/// <summary>Token signing keys in the store, on every engine; each test gets its own database.</summary>
public abstract class SigningKeyStoreConformance() : StoreTest(Start)
{
    private static readonly DateTimeOffset Start = new(2026, 9, 1, 10, 0, 0, TimeSpan.Zero);

    private async Task<SigningKey> InsertAsync(string kid)
    {
        var (_, secret) = SigningKey.Generate();
        var key = await Store.SigningKeyInsertAsync(kid, secret, default);
        Assert.Equal(secret, key.Secret.ToArray());
        Time.Advance(TimeSpan.FromMinutes(1));
        return key;
    }

    [Fact]
    public async Task Keys_are_listed_oldest_first_with_their_secrets()
    {
        var a = await InsertAsync("sk_b");
        var b = await InsertAsync("sk_a");
        Assert.Equal((Start, SigningKey.SecretBytes, (DateTimeOffset?)null), (a.CreatedAt, a.Secret.Length, a.RetiredAt));
        Assert.Equal([a, b], await Store.SigningKeyListAsync(includeRetired: false, default));
        await Assert.ThrowsAsync<SigningKeyAlreadyExistsException>(() => InsertAsync("sk_b"));
        Assert.Equal([a, b], await Store.SigningKeyListAsync(includeRetired: true, default));
    }

    [Fact]
    public async Task Retired_keys_leave_the_active_list_and_are_deleted_after_their_grace()
    {
        var old = await InsertAsync("sk_old");
        var mid = await InsertAsync("sk_mid");
        var current = await InsertAsync("sk_current");

        var oldRetiredAt = Time.GetUtcNow();
        Assert.True(await Store.SigningKeyRetireAsync("sk_old", default));
        Assert.False(await Store.SigningKeyRetireAsync("sk_old", default));
        Assert.False(await Store.SigningKeyRetireAsync("sk_unknown", default));
        Time.Advance(TimeSpan.FromHours(1));
        Assert.True(await Store.SigningKeyRetireAsync("sk_mid", default));

        Assert.Equal([current], await Store.SigningKeyListAsync(includeRetired: false, default));
        Assert.Equal([old with { RetiredAt = oldRetiredAt }, mid with { RetiredAt = Time.GetUtcNow() }, current],
            await Store.SigningKeyListAsync(includeRetired: true, default));

        // Retired more than 30 minutes ago: only the first one.
        Assert.Equal(1, await Store.SigningKeyDeleteRetiredAsync(Time.GetUtcNow().AddMinutes(-30), default));
        Assert.Equal(["sk_mid", "sk_current"], (await Store.SigningKeyListAsync(includeRetired: true, default)).Select(k => k.Kid));
        Assert.Equal(0, await Store.SigningKeyDeleteRetiredAsync(Time.GetUtcNow().AddMinutes(-30), default));
        Assert.Equal(1, await Store.SigningKeyDeleteRetiredAsync(Time.GetUtcNow().AddMilliseconds(1), default));
        Assert.Equal([current], await Store.SigningKeyListAsync(includeRetired: true, default));
    }
}

public sealed class SqliteSigningKeyStoreTests : SigningKeyStoreConformance
{
    protected override Engine Engine => Engine.Sqlite;
}

public sealed class PostgresSigningKeyStoreTests : SigningKeyStoreConformance
{
    protected override Engine Engine => Engine.Postgres;
}
