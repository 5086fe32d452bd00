using Npgsql;
using SpectralNotify.Counters;

namespace SpectralNotify.Postgres;

public sealed partial class PostgresStore
{
    private readonly KeyedCombiner<CounterOperation, CounterChange> _counterCombiner = new();

    /// <summary>
    /// Operations on one counter that arrive together share one transaction (see
    /// <see cref="KeyedCombiner{TOp, TResult}"/>): each still gets its own seq, history row and
    /// notification, in order, but the row lock and the WAL flush are paid once per batch.
    /// </summary>
    public Task<CounterChange> CounterApplyAsync(string name, CounterOperation op, CancellationToken ct) =>
        _counterCombiner.RunAsync(name, op, ApplyCounterBatchAsync);

    private async Task<IReadOnlyList<object>> ApplyCounterBatchAsync(string name, IReadOnlyList<CounterOperation> ops)
    {
        await using var tx = await BeginAsync(CancellationToken.None);
        var rows = await tx.ReadAsync(ForUpdate("CounterGet"), ps => ps.With("name", name), PostgresRows.Rows.Counter, CancellationToken.None);
        if (rows.Count == 0)
        {
            return ops.Select(_ => (object)new CounterNotFoundException(name)).ToList();
        }
        var current = rows[0];
        var now = _time.GetUtcNow();
        var results = new List<object>(ops.Count);
        foreach (var op in ops)
        {
            try
            {
                var change = CounterRules.Apply(current, op, now);
                BindEntry(tx.Queue(Sql["CounterHistoryInsert"], expectedRows: 1), change.Entry);
                tx.Notify(_channel, ChangeNotice.ForCounter(_nodeId, change));
                current = change.Counter;
                results.Add(change);
            }
            catch (CounterOverflowException ex)
            {
                results.Add(ex); // refused on its own: nothing of it is written, the others go on
            }
        }
        BindCounter(tx.Queue(Sql["CounterUpdate"], expectedRows: 1), current);
        await tx.CommitAsync(CancellationToken.None);
        return results;
    }

    public async Task<CounterChange> CounterCreateAsync(string name, long value, string? createdBy, CancellationToken ct)
    {
        await using var tx = await BeginAsync(ct);
        var change = CounterRules.Create(name, value, createdBy, _time.GetUtcNow());
        if (await tx.ExecuteAsync(Sql["CounterInsert"], ps => BindCounter(ps, change.Counter), ct) == 0)
        {
            throw new CounterAlreadyExistsException(name);
        }
        BindEntry(tx.Queue(Sql["CounterHistoryInsert"], expectedRows: 1), change.Entry);
        tx.Notify(_channel, ChangeNotice.ForCounter(_nodeId, change));
        await tx.CommitAsync(ct);
        return change;
    }

    public async Task<bool> CounterDeleteAsync(string name, CancellationToken ct)
    {
        await using var tx = await BeginAsync(ct);
        if (await tx.ExecuteAsync(Sql["CounterDelete"], ps => ps.With("name", name), ct) == 0)
        {
            return false;
        }
        tx.Notify(_channel, ChangeNotice.ForCounterDeletion(_nodeId, name));
        await tx.CommitAsync(ct);
        return true;
    }

    public async Task<Counter?> CounterGetAsync(string name, CancellationToken ct)
    {
        await using var cmd = Command(Sql["CounterGet"]);
        cmd.Parameters.With("name", name);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? PostgresRows.Rows.Counter(r) : null;
    }

    public async Task<IReadOnlyList<CounterHistoryEntry>> CounterHistoryListAsync(string name, long afterSeq, int limit, CancellationToken ct)
    {
        await using var cmd = Command(Sql["CounterHistoryList"]);
        cmd.Parameters.With("name", name).With("after", afterSeq).With("limit", limit);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<CounterHistoryEntry>();
        while (await r.ReadAsync(ct))
        {
            list.Add(PostgresRows.Rows.CounterEntry(r));
        }
        return list;
    }

    public async Task<IReadOnlyList<Counter>> CounterListAsync(CancellationToken ct)
    {
        await using var cmd = Command(Sql["CounterList"]);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<Counter>();
        while (await r.ReadAsync(ct))
        {
            list.Add(PostgresRows.Rows.Counter(r));
        }
        return list;
    }

    private static void BindCounter(NpgsqlParameterCollection ps, Counter c) => ps
        .With("name", c.Name).With("value", c.Value).With("created_at", (DateTimeOffset?)c.CreatedAt)
        .With("updated_at", (DateTimeOffset?)c.UpdatedAt).With("operation_count", c.OperationCount)
        .With("created_by", c.CreatedBy).With("last_seq", c.LastSeq);

    private static void BindEntry(NpgsqlParameterCollection ps, CounterHistoryEntry e) => ps
        .With("name", e.Name).With("seq", e.Seq).With("operation", e.Operation).With("previous_value", e.PreviousValue)
        .With("new_value", e.NewValue).With("timestamp", (DateTimeOffset?)e.Timestamp);

}
