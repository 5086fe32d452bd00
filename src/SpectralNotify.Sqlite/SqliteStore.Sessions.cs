using SpectralNotify.Sessions;

namespace SpectralNotify.Sqlite;

public sealed partial class SqliteStore
{
    public Task SessionOpenAsync(LiveSession s, CancellationToken ct) =>
        _writer.RunAsync(w => w.Command(Sql["SessionOpen"])
            .With("@id", s.Id).With("@client_id", s.ClientId).With("@user_name", s.User)
            .With("@connection_type", s.ConnectionType).With("@entity_type", s.EntityType)
            .With("@entity_id", s.EntityId).With("@node_id", s.NodeId).With("@created_at", Clock.Truncate(s.CreatedAt))
            .ExecuteNonQuery(), ct);

    public Task SessionCloseAsync(IReadOnlyList<string> ids, DateTimeOffset now, CancellationToken ct) =>
        _writer.RunAsync(w =>
        {
            foreach (var id in ids)
            {
                w.Command(Sql["SessionClose"]).With("@id", id).With("@now", Clock.Truncate(now)).ExecuteNonQuery();
            }
            return ids.Count;
        }, ct);

    public Task SessionDescribeAsync(IReadOnlyList<(string Id, string Watching)> sessions, CancellationToken ct) =>
        _writer.RunAsync(w =>
        {
            foreach (var (id, watching) in sessions)
            {
                w.Command(Sql["SessionDescribe"]).With("@id", id).With("@entity_id", watching).ExecuteNonQuery();
            }
            return sessions.Count;
        }, ct);

    public Task SessionHeartbeatAsync(IReadOnlyList<string> ids, DateTimeOffset now, CancellationToken ct) =>
        _writer.RunAsync(w =>
        {
            foreach (var id in ids)
            {
                w.Command(Sql["SessionHeartbeat"]).With("@id", id).With("@now", Clock.Truncate(now)).ExecuteNonQuery();
            }
            return ids.Count;
        }, ct);

    public async Task<IReadOnlyList<LiveSession>> SessionListAsync(bool? active, int limit, CancellationToken ct)
    {
        await using var c = await OpenReadAsync(ct);
        using var cmd = Cmd(c, Sql["SessionList"]).With("@active", active).With("@limit", limit);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<LiveSession>();
        while (await r.ReadAsync(ct))
        {
            list.Add(SqliteRows.Rows.Session(r));
        }
        return list;
    }

    public Task<int> SessionPruneAsync(DateTimeOffset endedBefore, int limit, CancellationToken ct) =>
        _writer.RunAsync(w => w.Command(Sql["SessionPrune"]).With("@ended_before", Clock.Truncate(endedBefore)).With("@limit", limit).ExecuteNonQuery(), ct);

    public Task<int> SessionSweepAsync(string? nodeId, DateTimeOffset staleBefore, DateTimeOffset now, CancellationToken ct) =>
        _writer.RunAsync(w => w.Command(Sql["SessionSweep"]).With("@node_id", nodeId)
            .With("@stale_before", Clock.Truncate(staleBefore)).With("@now", Clock.Truncate(now)).ExecuteNonQuery(), ct);
}
