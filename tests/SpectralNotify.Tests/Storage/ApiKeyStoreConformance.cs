using SpectralNotify.Keys;
using SpectralNotify.Storage;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Storage;

/// <summary>Database API keys in the store, on every engine; each test gets its own database.</summary>
public abstract class ApiKeyStoreConformance() : StoreTest(Start)
{
    private static readonly DateTimeOffset Start = new(2026, 9, 1, 10, 0, 0, TimeSpan.Zero);

    private Task<ApiKey> CreateAsync(string name, string secret, DateTimeOffset? expiresAt = null, params string[] scopes) =>
        Store.ApiKeyCreateAsync(new ApiKeyCreateParams
        {
            Id = ApiKeySecrets.NewId(), Name = name, Hash = ApiKeySecrets.Hash(secret), Scopes = scopes.Length == 0 ? ["read"] : scopes,
            ExpiresAt = expiresAt,
        }, default);

    [Fact]
    public async Task Create_get_and_list_round_trip_every_field()
    {
        var first = await CreateAsync("ci deploy", "secret-one", Start.AddDays(30), "admin", "read");
        Time.Advance(TimeSpan.FromSeconds(1));
        var second = await CreateAsync("dashboard", "secret-two");

        Assert.Equal((Start, Start.AddDays(30), (DateTimeOffset?)null, (DateTimeOffset?)null), (first.CreatedAt, first.ExpiresAt, first.LastUsedAt, first.RevokedAt));
        Assert.Equal(["admin", "read"], first.Scopes);
        Assert.Equal(ApiKeySecrets.Hash("secret-one"), first.Hash);
        Assert.Equal(first, await Store.ApiKeyGetAsync(first.Id, default));
        Assert.Null(await Store.ApiKeyGetAsync("key_unknown", default));
        Assert.Equal([first, second], await Store.ApiKeyListAsync(default));
    }

    [Fact]
    public async Task A_taken_name_conflicts_even_when_its_key_is_revoked_and_writes_nothing()
    {
        var key = await CreateAsync("ops", "secret-one");
        await Assert.ThrowsAsync<ApiKeyNameTakenException>(() => CreateAsync("ops", "secret-two"));
        await Store.ApiKeyRevokeAsync(key.Id, default);
        var ex = await Assert.ThrowsAsync<ApiKeyNameTakenException>(() => CreateAsync("ops", "secret-three"));
        Assert.Equal("ops", ex.Name);
        Assert.Equal([key.Id], (await Store.ApiKeyListAsync(default)).Select(k => k.Id));
        Assert.Null(await Store.ApiKeyFindUsableAsync(ApiKeySecrets.Hash("secret-two"), Time.GetUtcNow(), default));
    }

    [Fact]
    public async Task Find_returns_a_usable_key_only()
    {
        var key = await CreateAsync("expiring", "secret-one", Start.AddMinutes(5), "write");
        var hash = ApiKeySecrets.Hash("secret-one");
        Assert.Equal(key, await Store.ApiKeyFindUsableAsync(hash, Start.AddMinutes(5).AddMilliseconds(-1), default));
        Assert.Null(await Store.ApiKeyFindUsableAsync(hash, Start.AddMinutes(5), default));
        Assert.Null(await Store.ApiKeyFindUsableAsync(ApiKeySecrets.Hash("secret-other"), Start, default));

        var forever = await CreateAsync("forever", "secret-two");
        Assert.Equal(forever, await Store.ApiKeyFindUsableAsync(ApiKeySecrets.Hash("secret-two"), Start.AddYears(50), default));
        await Store.ApiKeyRevokeAsync(forever.Id, default);
        Assert.Null(await Store.ApiKeyFindUsableAsync(ApiKeySecrets.Hash("secret-two"), Start, default));
    }

    [Fact]
    public async Task Revoke_keeps_the_first_time_and_unknown_ids_are_not_found()
    {
        var key = await CreateAsync("ops", "secret-one");
        Time.Advance(TimeSpan.FromMinutes(1));
        var revoked = await Store.ApiKeyRevokeAsync(key.Id, default);
        Assert.Equal(key with { RevokedAt = Start.AddMinutes(1) }, revoked);
        Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(revoked, await Store.ApiKeyRevokeAsync(key.Id, default));
        var ex = await Assert.ThrowsAsync<ApiKeyNotFoundException>(() => Store.ApiKeyRevokeAsync("key_unknown", default));
        Assert.Equal("key_unknown", ex.KeyId);
    }

    [Fact]
    public async Task Touch_records_a_use_at_most_once_per_resolution()
    {
        var key = await CreateAsync("ops", "secret-one");
        var minute = TimeSpan.FromMinutes(1);
        await Store.ApiKeyTouchAsync(key.Id, Start.AddSeconds(10), minute, default);
        await Store.ApiKeyTouchAsync(key.Id, Start.AddSeconds(69), minute, default);
        Assert.Equal(Start.AddSeconds(10), (await Store.ApiKeyGetAsync(key.Id, default))!.LastUsedAt);
        await Store.ApiKeyTouchAsync(key.Id, Start.AddSeconds(71), minute, default);
        Assert.Equal(Start.AddSeconds(71), (await Store.ApiKeyGetAsync(key.Id, default))!.LastUsedAt);
        // A late, older use never moves it back; an unknown id is ignored.
        await Store.ApiKeyTouchAsync(key.Id, Start, minute, default);
        await Store.ApiKeyTouchAsync("key_unknown", Start, minute, default);
        Assert.Equal(Start.AddSeconds(71), (await Store.ApiKeyGetAsync(key.Id, default))!.LastUsedAt);
    }
}

public sealed class SqliteApiKeyStoreTests : ApiKeyStoreConformance
{
    protected override Engine Engine => Engine.Sqlite;
}

public sealed class PostgresApiKeyStoreTests : ApiKeyStoreConformance
{
    protected override Engine Engine => Engine.Postgres;
}
