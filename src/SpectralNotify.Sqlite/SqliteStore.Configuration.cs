using Microsoft.Data.Sqlite;
using SpectralNotify.Configuration;

namespace SpectralNotify.Sqlite;

public sealed partial class SqliteStore
{
    public Task<bool> ConfigDeleteAsync(string key, CancellationToken ct) =>
        _writer.RunAsync(w => w.Command(Sql["ConfigDelete"]).With("@key", key).ExecuteNonQuery() > 0, ct);

    public async Task<ConfigEntry?> ConfigGetAsync(string key, CancellationToken ct)
    {
        await using var c = await OpenReadAsync(ct);
        using var cmd = Cmd(c, Sql["ConfigGet"]).With("@key", key);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? ReadConfig(r) : null;
    }

    public async Task<IReadOnlyList<ConfigEntry>> ConfigListAsync(CancellationToken ct)
    {
        await using var c = await OpenReadAsync(ct);
        using var cmd = Cmd(c, Sql["ConfigList"]);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<ConfigEntry>();
        while (await r.ReadAsync(ct))
        {
            list.Add(ReadConfig(r));
        }
        return list;
    }

    public Task<(ConfigEntry Entry, bool Created)> ConfigPutAsync(ConfigEntry e, CancellationToken ct) =>
        _writer.RunAsync(w =>
        {
            using var r = w.Command(Sql["ConfigPut"])
                .With("@key", e.Key).With("@value_type", e.Type).With("@value", e.Value).With("@description", e.Description)
                .With("@is_secret", e.IsSecret).With("@now", Clock.Truncate(_time.GetUtcNow())).With("@updated_by", e.UpdatedBy)
                .ExecuteReader();
            r.Read();
            var entry = ReadConfig(r);
            return (entry, entry.Version == 1);
        }, ct);

    private static ConfigEntry ReadConfig(SqliteDataReader r) => new()
    {
        Key = r.GetString(0),
        Type = r.GetString(1),
        Value = r.GetString(2),
        Description = SqliteRows.Str(r, 3),
        IsSecret = r.GetInt64(4) != 0,
        CreatedAt = SqliteRows.Time(r, 5)!.Value,
        UpdatedAt = SqliteRows.Time(r, 6)!.Value,
        UpdatedBy = SqliteRows.Str(r, 7),
        Version = r.GetInt64(8),
    };
}
