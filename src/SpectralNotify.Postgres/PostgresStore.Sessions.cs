using SpectralNotify.Sessions;

namespace SpectralNotify.Postgres;

public sealed partial class PostgresStore
{
    public async Task SessionOpenAsync(LiveSession s, CancellationToken ct)
    {
        await using var cmd = Command(Sql["SessionOpen"]);
        cmd.Parameters.With("id", s.Id).With("client_id", s.ClientId).With("user_name", s.User)
            .With("connection_type", s.ConnectionType).With("entity_type", s.EntityType)
            .With("entity_id", s.EntityId).With("node_id", s.NodeId).With("created_at", s.CreatedAt);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public Task SessionCloseAsync(IReadOnlyList<string> ids, DateTimeOffset now, CancellationToken ct) =>
        PerIdAsync(Sql["SessionClose"], ids, now, ct);

    public async Task SessionDescribeAsync(IReadOnlyList<(string Id, string Watching)> sessions, CancellationToken ct)
    {
        if (sessions.Count == 0)
        {
            return;
        }
        await using var batch = _dataSource.CreateBatch();
        foreach (var (id, watching) in sessions)
        {
            var cmd = batch.CreateBatchCommand();
            cmd.CommandText = Sql["SessionDescribe"];
            cmd.Parameters.With("id", id).With("entity_id", watching);
            batch.BatchCommands.Add(cmd);
        }
        await batch.ExecuteNonQueryAsync(ct);
    }

    public Task SessionHeartbeatAsync(IReadOnlyList<string> ids, DateTimeOffset now, CancellationToken ct) =>
        PerIdAsync(Sql["SessionHeartbeat"], ids, now, ct);

    public async Task<IReadOnlyList<LiveSession>> SessionListAsync(bool? active, int limit, CancellationToken ct)
    {
        await using var cmd = Command(Sql["SessionList"]);
        cmd.Parameters.With("active", active).With("limit", limit);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<LiveSession>();
        while (await r.ReadAsync(ct))
        {
            list.Add(PostgresRows.Rows.Session(r));
        }
        return list;
    }

    public async Task<int> SessionSweepAsync(string? nodeId, DateTimeOffset staleBefore, DateTimeOffset now, CancellationToken ct)
    {
        await using var cmd = Command(Sql["SessionSweep"]);
        cmd.Parameters.With("node_id", nodeId).With("stale_before", staleBefore).With("now", now);
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task<int> SessionPruneAsync(DateTimeOffset endedBefore, int limit, CancellationToken ct)
    {
        await using var cmd = Command(Sql["SessionPrune"]);
        cmd.Parameters.With("ended_before", endedBefore).With("limit", limit);
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Runs a per-session statement for each id in one round trip (one batch, one implicit transaction).</summary>
    private async Task PerIdAsync(string sql, IReadOnlyList<string> ids, DateTimeOffset now, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return;
        }
        await using var batch = _dataSource.CreateBatch();
        foreach (var id in ids)
        {
            var cmd = batch.CreateBatchCommand();
            cmd.CommandText = sql;
            cmd.Parameters.With("id", id).With("now", now);
            batch.BatchCommands.Add(cmd);
        }
        await batch.ExecuteNonQueryAsync(ct);
    }
}
