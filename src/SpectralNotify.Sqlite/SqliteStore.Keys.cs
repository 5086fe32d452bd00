using Microsoft.Data.Sqlite;
using SpectralNotify.Keys;
using SpectralNotify.Storage;

namespace SpectralNotify.Sqlite;

public sealed partial class SqliteStore
{
    public Task<ApiKey> ApiKeyCreateAsync(ApiKeyCreateParams p, CancellationToken ct) =>
        _writer.RunAsync(w =>
        {
            using var r = w.Command(Sql["ApiKeyInsert"])
                .With("@id", p.Id).With("@name", p.Name).With("@hash", p.Hash).With("@scopes", string.Join(' ', p.Scopes))
                .With("@now", Clock.Truncate(_time.GetUtcNow())).With("@expires_at", p.ExpiresAt is { } e ? Clock.Truncate(e) : null)
                .ExecuteReader();
            return r.Read() ? SqliteRows.Rows.ApiKey(r) : throw new ApiKeyNameTakenException(p.Name);
        }, ct);

    public Task<ApiKey?> ApiKeyFindUsableAsync(string hash, DateTimeOffset now, CancellationToken ct) =>
        ReadOneAsync(Sql["ApiKeyFindUsable"], c => c.With("@hash", hash).With("@now", now), SqliteRows.Rows.ApiKey, ct);

    public Task<ApiKey?> ApiKeyGetAsync(string id, CancellationToken ct) =>
        ReadOneAsync(Sql["ApiKeyGet"], c => c.With("@id", id), SqliteRows.Rows.ApiKey, ct);

    public Task<IReadOnlyList<ApiKey>> ApiKeyListAsync(CancellationToken ct) =>
        ReadAllAsync(Sql["ApiKeyList"], _ => { }, SqliteRows.Rows.ApiKey, ct);

    public Task<ApiKey> ApiKeyRevokeAsync(string id, CancellationToken ct) =>
        _writer.RunAsync(w =>
        {
            using var r = w.Command(Sql["ApiKeyRevoke"]).With("@id", id).With("@now", Clock.Truncate(_time.GetUtcNow())).ExecuteReader();
            return r.Read() ? SqliteRows.Rows.ApiKey(r) : throw new ApiKeyNotFoundException(id);
        }, ct);

    public Task ApiKeyTouchAsync(string id, DateTimeOffset usedAt, TimeSpan resolution, CancellationToken ct) =>
        _writer.RunAsync(w => w.Command(Sql["ApiKeyTouch"])
            .With("@id", id).With("@used_at", Clock.Truncate(usedAt)).With("@stale_before", Clock.Truncate(usedAt - resolution))
            .ExecuteNonQuery(), ct);

    public Task<int> SigningKeyDeleteRetiredAsync(DateTimeOffset retiredBefore, CancellationToken ct) =>
        _writer.RunAsync(w => w.Command(Sql["SigningKeyDeleteRetired"]).With("@retired_before", Clock.Truncate(retiredBefore)).ExecuteNonQuery(), ct);

    public Task<SigningKey> SigningKeyInsertAsync(string kid, ReadOnlyMemory<byte> secret, CancellationToken ct) =>
        _writer.RunAsync(w =>
        {
            using var r = w.Command(Sql["SigningKeyInsert"])
                .With("@kid", kid).With("@secret", secret.ToArray()).With("@now", Clock.Truncate(_time.GetUtcNow())).ExecuteReader();
            return r.Read() ? SqliteRows.Rows.SigningKey(r) : throw new SigningKeyAlreadyExistsException(kid);
        }, ct);

    public Task<IReadOnlyList<SigningKey>> SigningKeyListAsync(bool includeRetired, CancellationToken ct) =>
        ReadAllAsync(Sql["SigningKeyList"], c => c.With("@include_retired", includeRetired), SqliteRows.Rows.SigningKey, ct);

    public Task<bool> SigningKeyRetireAsync(string kid, CancellationToken ct) =>
        _writer.RunAsync(w => w.Command(Sql["SigningKeyRetire"])
            .With("@kid", kid).With("@now", Clock.Truncate(_time.GetUtcNow())).ExecuteNonQuery() > 0, ct);

    private async Task<T?> ReadOneAsync<T>(string sql, Action<SqliteCommand> bind, Func<SqliteDataReader, T> map, CancellationToken ct)
        where T : class
    {
        await using var c = await OpenReadAsync(ct);
        using var cmd = Cmd(c, sql);
        bind(cmd);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? map(r) : null;
    }

    private async Task<IReadOnlyList<T>> ReadAllAsync<T>(string sql, Action<SqliteCommand> bind, Func<SqliteDataReader, T> map, CancellationToken ct)
    {
        await using var c = await OpenReadAsync(ct);
        using var cmd = Cmd(c, sql);
        bind(cmd);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<T>();
        while (await r.ReadAsync(ct))
        {
            list.Add(map(r));
        }
        return list;
    }
}
