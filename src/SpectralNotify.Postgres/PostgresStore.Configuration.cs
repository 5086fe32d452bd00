using Npgsql;
using SpectralNotify.Configuration;

namespace SpectralNotify.Postgres;

public sealed partial class PostgresStore
{
    public async Task<bool> ConfigDeleteAsync(string key, CancellationToken ct)
    {
        await using var cmd = Command(Sql["ConfigDelete"]);
        cmd.Parameters.With("key", key);
        return await cmd.ExecuteNonQueryAsync(ct) > 0;
    }

    public async Task<ConfigEntry?> ConfigGetAsync(string key, CancellationToken ct)
    {
        await using var cmd = Command(Sql["ConfigGet"]);
        cmd.Parameters.With("key", key);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? PostgresRows.Rows.Config(r) : null;
    }

    public async Task<IReadOnlyList<ConfigEntry>> ConfigListAsync(CancellationToken ct)
    {
        await using var cmd = Command(Sql["ConfigList"]);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<ConfigEntry>();
        while (await r.ReadAsync(ct))
        {
            list.Add(PostgresRows.Rows.Config(r));
        }
        return list;
    }

    public async Task<(ConfigEntry Entry, bool Created)> ConfigPutAsync(ConfigEntry e, CancellationToken ct)
    {
        await using var cmd = Command(Sql["ConfigPut"]);
        cmd.Parameters.With("key", e.Key).With("value_type", e.Type).With("value", e.Value).With("description", e.Description)
            .With("is_secret", (bool?)e.IsSecret).With("now", (DateTimeOffset?)_time.GetUtcNow()).With("updated_by", e.UpdatedBy);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        var entry = PostgresRows.Rows.Config(r);
        return (entry, entry.Version == 1);
    }

}
