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
        return await r.ReadAsync(ct) ? SqliteRows.Rows.Config(r) : null;
    }

    public async Task<IReadOnlyList<ConfigEntry>> ConfigListAsync(CancellationToken ct)
    {
        await using var c = await OpenReadAsync(ct);
        using var cmd = Cmd(c, Sql["ConfigList"]);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<ConfigEntry>();
        while (await r.ReadAsync(ct))
        {
            list.Add(SqliteRows.Rows.Config(r));
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
            var entry = SqliteRows.Rows.Config(r);
            return (entry, entry.Version == 1);
        }, ct);

}
