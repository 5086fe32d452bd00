using Microsoft.Data.Sqlite;
using SpectralNotify.Counters;

namespace SpectralNotify.Sqlite;

public sealed partial class SqliteStore
{
    public Task<CounterChange> CounterApplyAsync(string name, CounterOperation op, CancellationToken ct) =>
        _writer.RunAsync(w =>
        {
            Counter current;
            using (var r = w.Command(Sql["CounterGet"]).With("@name", name).ExecuteReader())
            {
                current = r.Read() ? SqliteRows.Rows.Counter(r) : throw new CounterNotFoundException(name);
            }
            var change = CounterRules.Apply(current, op, _time.GetUtcNow());
            BindCounter(w.Command(Sql["CounterUpdate"]), change.Counter).ExecuteNonQuery();
            BindEntry(w.Command(Sql["CounterHistoryInsert"]), change.Entry).ExecuteNonQuery();
            return change;
        }, ct);

    public Task<CounterChange> CounterCreateAsync(string name, long value, string? createdBy, CancellationToken ct) =>
        _writer.RunAsync(w =>
        {
            var change = CounterRules.Create(name, value, createdBy, _time.GetUtcNow());
            if (BindCounter(w.Command(Sql["CounterInsert"]), change.Counter).ExecuteNonQuery() == 0)
            {
                throw new CounterAlreadyExistsException(name);
            }
            BindEntry(w.Command(Sql["CounterHistoryInsert"]), change.Entry).ExecuteNonQuery();
            return change;
        }, ct);

    public Task<bool> CounterDeleteAsync(string name, CancellationToken ct) =>
        _writer.RunAsync(w => w.Command(Sql["CounterDelete"]).With("@name", name).ExecuteNonQuery() > 0, ct);

    public async Task<Counter?> CounterGetAsync(string name, CancellationToken ct)
    {
        await using var c = await OpenReadAsync(ct);
        using var cmd = Cmd(c, Sql["CounterGet"]).With("@name", name);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? SqliteRows.Rows.Counter(r) : null;
    }

    public async Task<IReadOnlyList<CounterHistoryEntry>> CounterHistoryListAsync(string name, long afterSeq, int limit, CancellationToken ct)
    {
        await using var c = await OpenReadAsync(ct);
        using var cmd = Cmd(c, Sql["CounterHistoryList"]).With("@name", name).With("@after", afterSeq).With("@limit", limit);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<CounterHistoryEntry>();
        while (await r.ReadAsync(ct))
        {
            list.Add(SqliteRows.Rows.CounterEntry(r));
        }
        return list;
    }

    public async Task<IReadOnlyList<Counter>> CounterListAsync(CancellationToken ct)
    {
        await using var c = await OpenReadAsync(ct);
        using var cmd = Cmd(c, Sql["CounterList"]);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<Counter>();
        while (await r.ReadAsync(ct))
        {
            list.Add(SqliteRows.Rows.Counter(r));
        }
        return list;
    }

    private static SqliteCommand BindCounter(SqliteCommand cmd, Counter c) => cmd
        .With("@name", c.Name).With("@value", c.Value).With("@created_at", c.CreatedAt).With("@updated_at", c.UpdatedAt)
        .With("@operation_count", c.OperationCount).With("@created_by", c.CreatedBy).With("@last_seq", c.LastSeq);

    private static SqliteCommand BindEntry(SqliteCommand cmd, CounterHistoryEntry e) => cmd
        .With("@name", e.Name).With("@seq", e.Seq).With("@operation", e.Operation).With("@previous_value", e.PreviousValue)
        .With("@new_value", e.NewValue).With("@timestamp", e.Timestamp);

}
