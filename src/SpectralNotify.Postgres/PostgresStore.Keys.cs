using Npgsql;
using SpectralNotify.Keys;
using SpectralNotify.Storage;

namespace SpectralNotify.Postgres;

/// <remarks>
/// Single statements, no NOTIFY: nodes keep no copy of the keys (authentication reads the row on
/// every request), so there is nothing to invalidate and a revocation holds everywhere at once.
/// </remarks>
public sealed partial class PostgresStore
{
    public async Task<ApiKey> ApiKeyCreateAsync(ApiKeyCreateParams p, CancellationToken ct) =>
        await ReadOneAsync(Sql["ApiKeyInsert"], ps => ps
            .With("id", p.Id).With("name", p.Name).With("hash", p.Hash).With("scopes", string.Join(' ', p.Scopes))
            .With("now", (DateTimeOffset?)_time.GetUtcNow()).With("expires_at", p.ExpiresAt), PostgresRows.Rows.ApiKey, ct)
        ?? throw new ApiKeyNameTakenException(p.Name);

    public Task<ApiKey?> ApiKeyFindUsableAsync(string hash, DateTimeOffset now, CancellationToken ct) =>
        ReadOneAsync(Sql["ApiKeyFindUsable"], ps => ps.With("hash", hash).With("now", (DateTimeOffset?)now), PostgresRows.Rows.ApiKey, ct);

    public Task<ApiKey?> ApiKeyGetAsync(string id, CancellationToken ct) =>
        ReadOneAsync(Sql["ApiKeyGet"], ps => ps.With("id", id), PostgresRows.Rows.ApiKey, ct);

    public Task<IReadOnlyList<ApiKey>> ApiKeyListAsync(CancellationToken ct) =>
        ReadAllAsync(Sql["ApiKeyList"], _ => { }, PostgresRows.Rows.ApiKey, ct);

    public async Task<ApiKey> ApiKeyRevokeAsync(string id, CancellationToken ct) =>
        await ReadOneAsync(Sql["ApiKeyRevoke"], ps => ps.With("id", id).With("now", (DateTimeOffset?)_time.GetUtcNow()), PostgresRows.Rows.ApiKey, ct)
        ?? throw new ApiKeyNotFoundException(id);

    public async Task ApiKeyTouchAsync(string id, DateTimeOffset usedAt, TimeSpan resolution, CancellationToken ct)
    {
        await using var cmd = Command(Sql["ApiKeyTouch"]);
        cmd.Parameters.With("id", id).With("used_at", (DateTimeOffset?)usedAt).With("stale_before", (DateTimeOffset?)(usedAt - resolution));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task<int> SigningKeyDeleteRetiredAsync(DateTimeOffset retiredBefore, CancellationToken ct)
    {
        await using var cmd = Command(Sql["SigningKeyDeleteRetired"]);
        cmd.Parameters.With("retired_before", (DateTimeOffset?)retiredBefore);
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task<SigningKey> SigningKeyInsertAsync(string kid, ReadOnlyMemory<byte> secret, CancellationToken ct) =>
        await ReadOneAsync(Sql["SigningKeyInsert"], ps => ps
            .With("kid", kid).With("secret", secret.ToArray()).With("now", (DateTimeOffset?)_time.GetUtcNow()), PostgresRows.Rows.SigningKey, ct)
        ?? throw new SigningKeyAlreadyExistsException(kid);

    public Task<IReadOnlyList<SigningKey>> SigningKeyListAsync(bool includeRetired, CancellationToken ct) =>
        ReadAllAsync(Sql["SigningKeyList"], ps => ps.With("include_retired", (bool?)includeRetired), PostgresRows.Rows.SigningKey, ct);

    public async Task<bool> SigningKeyRetireAsync(string kid, CancellationToken ct)
    {
        await using var cmd = Command(Sql["SigningKeyRetire"]);
        cmd.Parameters.With("kid", kid).With("now", (DateTimeOffset?)_time.GetUtcNow());
        return await cmd.ExecuteNonQueryAsync(ct) > 0;
    }

    private async Task<T?> ReadOneAsync<T>(string sql, Action<NpgsqlParameterCollection> bind, Func<NpgsqlDataReader, T> map, CancellationToken ct)
        where T : class => (await ReadAllAsync(sql, bind, map, ct)).SingleOrDefault();

    private async Task<IReadOnlyList<T>> ReadAllAsync<T>(string sql, Action<NpgsqlParameterCollection> bind, Func<NpgsqlDataReader, T> map, CancellationToken ct)
    {
        await using var cmd = Command(sql);
        bind(cmd.Parameters);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<T>();
        while (await r.ReadAsync(ct))
        {
            list.Add(map(r));
        }
        return list;
    }
}
