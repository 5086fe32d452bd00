using System.Threading.Channels;
using SpectralNotify.Access;
using SpectralNotify.Lists;
using SpectralNotify.Storage;

namespace SpectralNotify.Server.Realtime.V2;

/// <summary>
/// One live filtered list of a v2 connection. It holds the ids it has shown (at most <c>limit</c>,
/// newest <c>updatedAt</c> first) and turns every offered change into an <c>upsert</c>, a <c>remove</c>
/// (left the filter, deleted, or pushed past the limit) or nothing, checking each row against the
/// caller's key or token. When a row leaves a full list, the list is refilled from storage so it stays
/// the same top rows a fresh query returns. Messages queue in the connection's byte budget.
/// </summary>
public sealed partial class ListHandle : ILiveHandle
{
    /// <summary>How far before its cursor a resume reads: PostgreSQL commits need not land in <c>updatedAt</c> order.</summary>
    public static readonly TimeSpan ResumeMargin = TimeSpan.FromSeconds(5);

    private enum Marker { Refill, CatchUp }

    private readonly Lock _gate = new();
    private readonly Channel<object> _queue = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<string, DateTimeOffset> _members = new(StringComparer.Ordinal);
    private readonly SortedSet<(DateTimeOffset At, string Id)> _order = new(OldestFirst.Instance);
    private readonly Dictionary<string, long> _versions = new(StringComparer.Ordinal);
    private readonly List<ListChange> _pending = [];
    private readonly ILiveConnection _connection;
    private readonly byte[] _prefix;
    private readonly ListFilter _filter;
    private readonly int _limit;
    private readonly Resource _resource;
    private readonly CancellationTokenSource _stop;
    private DateTimeOffset _cursor;
    private bool _ready;
    private bool _maybeMore;
    private int _overflowed;

    public ListHandle(ILiveConnection connection, string id, byte[] prefix, ListKind kind, ListFilter filter, int limit)
    {
        _connection = connection;
        Id = id;
        _prefix = prefix;
        Kind = kind;
        _filter = filter;
        _limit = limit;
        _resource = kind switch { ListKind.Tasks => Resource.Tasks, ListKind.Workflows => Resource.Workflows, _ => Resource.Runs };
        _stop = CancellationTokenSource.CreateLinkedTokenSource(connection.Writing);
    }

    public string Id { get; }
    public ListKind Kind { get; }
    public Task Completion { get; private set; } = Task.CompletedTask;
    public bool Overflowed => Volatile.Read(ref _overflowed) == 1;

    private LiveContext Live => _connection.Live;
    private IStore Store => Live.Store;
    private string Cursor => ListCursor.Format(_cursor);

    public bool StillAllowed(Caller caller) =>
        AccessRules.Decide(caller, _resource, Operation.List, null, Live.AnonymousReads) == Decision.Allow
        || caller.Grants.Any(g => g.Resource == _resource || (_resource == Resource.Runs && g.Resource == Resource.Jobs));

    public void Close()
    {
        _queue.Writer.TryComplete();
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>
    /// Answers the subscribe: a snapshot, or (with a usable <paramref name="cursor"/>) the changes since,
    /// then starts delivering. Call after registering with the <see cref="ListHub"/>, so nothing committed
    /// during the reads is missed (it waits in <see cref="_pending"/>).
    /// </summary>
    public async Task OpenAsync(string topic, DateTimeOffset? cursor, CancellationToken ct)
    {
        var refetch = cursor is { } c && c < Live.Time.GetUtcNow() - Live.Options.LiveListHistory
            ? $"The cursor is older than the {Live.Options.LiveListHistory.TotalHours:0.#} h of history this server keeps."
            : null;
        if (cursor is { } from && refetch is null)
        {
            _cursor = from;
            if (await CatchUpAsync(from, ct) is { } resumed)
            {
                await SendAsync(LiveMessages.Subscribed(topic, null, null, recovered: true), ct);
                await SendAllAsync(resumed, ct);
                await SendAsync(ListRows.UpToDate(Cursor), ct);
                Start();
                return;
            }
            refetch = $"More than {ListLimits.MaxResumeChanges} rows changed since the cursor.";
        }
        await SendAsync(LiveMessages.Subscribed(topic, null, null, recovered: false), ct);
        if (refetch is not null)
        {
            await SendAsync(ListRows.MustRefetch(refetch), ct);
        }
        await SendAsync(await SnapshotAsync(ct), ct);
        Start();
    }

    private void Start()
    {
        List<ListChange> pending;
        lock (_gate)
        {
            _ready = true;
            pending = [.. _pending];
            _pending.Clear();
            foreach (var change in pending)
            {
                ApplyLocked(change, refill: false);
            }
        }
        Completion = RunAsync(_stop.Token);
    }

    /// <summary>A change offered by the hub.</summary>
    public void Apply(ListChange change)
    {
        lock (_gate)
        {
            if (!_ready)
            {
                _pending.Add(change);
                return;
            }
            ApplyLocked(change, refill: false);
        }
    }

    /// <summary>A task or workflow of this list's kind was deleted.</summary>
    public void Deleted(string id)
    {
        lock (_gate)
        {
            _versions.Remove(id); // a re-created row starts its versions again at 1
            if (_members.Remove(id, out var at))
            {
                _order.Remove((at, id));
                Enqueue(ListRows.Remove(id, "deleted", Cursor));
                RefillIfShort();
            }
        }
    }

    /// <summary>Reads everything since the cursor again (notifications may have been lost).</summary>
    public void CatchUp() => _queue.Writer.TryWrite(Marker.CatchUp);

    private void ApplyLocked(ListChange change, bool refill)
    {
        var row = change.Row;
        var version = ListRows.Version(row);
        if (_versions.TryGetValue(row.Id, out var seen) && (refill ? version < seen : version <= seen))
        {
            return; // an older (or repeated) announcement of a row already shown newer
        }
        _versions[row.Id] = version;
        if (Visible(row))
        {
            if (_members.Remove(row.Id, out var old))
            {
                _order.Remove((old, row.Id));
            }
            _members[row.Id] = row.UpdatedAt;
            _order.Add((row.UpdatedAt, row.Id));
            if (row.UpdatedAt > _cursor)
            {
                _cursor = row.UpdatedAt;
            }
            string? evicted = null;
            if (_members.Count > _limit)
            {
                var oldest = _order.Min;
                _order.Remove(oldest);
                _members.Remove(oldest.Id);
                evicted = oldest.Id;
                _maybeMore = true;
            }
            if (evicted != row.Id)
            {
                Enqueue(ListRows.Upsert(change.Json, Cursor));
                if (evicted is not null)
                {
                    Enqueue(ListRows.Remove(evicted, "limit", Cursor));
                }
            }
        }
        else if (_members.Remove(row.Id, out var old))
        {
            _order.Remove((old, row.Id));
            if (row.UpdatedAt > _cursor)
            {
                _cursor = row.UpdatedAt;
            }
            Enqueue(ListRows.Remove(row.Id, "left-filter", Cursor));
            RefillIfShort();
        }
    }

    private void RefillIfShort()
    {
        if (_maybeMore)
        {
            _queue.Writer.TryWrite(Marker.Refill);
        }
    }

    /// <summary>Whether the row belongs in this list for this caller: it matches, and the key or token may read it.</summary>
    private bool Visible(ListRow row)
    {
        if (!_filter.Matches(row))
        {
            return false;
        }
        var caller = _connection.Caller;
        return AccessRules.Decide(caller, _resource, Operation.List, null, Live.AnonymousReads) == Decision.Allow
            || AccessRules.Decide(caller, _resource, Operation.Read, row.Id, Live.AnonymousReads, row.Run?.JobId) == Decision.Allow;
    }

    private void Enqueue(byte[] message)
    {
        if (!_connection.Output.Budget.TryAdd(message.Length))
        {
            if (Interlocked.Exchange(ref _overflowed, 1) == 0)
            {
                _queue.Writer.TryComplete();
                _connection.Overflowed();
            }
            return;
        }
        if (!_queue.Writer.TryWrite(message))
        {
            _connection.Output.Budget.Release(message.Length); // closed: not queued, so not held
        }
    }

    private async Task RunAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var item in _queue.Reader.ReadUntilCompleteAsync(() => _queue.Writer.TryComplete(), ct))
            {
                if (Overflowed)
                {
                    return;
                }
                switch (item)
                {
                    case byte[] message:
                        _connection.Output.Budget.Release(message.Length);
                        await SendAsync(message, ct);
                        break;
                    case Marker.Refill:
                        await RefillAsync(ct);
                        break;
                    case Marker.CatchUp:
                        if (await CatchUpAsync(_cursor, ct) is { } messages)
                        {
                            await SendAllAsync(messages, ct);
                            await SendAsync(ListRows.UpToDate(Cursor), ct);
                        }
                        else
                        {
                            await SendAsync(ListRows.MustRefetch($"More than {ListLimits.MaxResumeChanges} rows changed while notifications were lost."), ct);
                            await SendAsync(await SnapshotAsync(ct), ct);
                        }
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException && !ct.IsCancellationRequested)
        {
            var unavailable = Api.Problems.Map(ex).Status == 503;
            if (!unavailable)
            {
                LogListFailed(Live.Log, ex, Kind.ToWire());
            }
            await _connection.ErrorAsync(Id, "unavailable", $"The list stopped ({(unavailable ? "the database cannot answer" : "a server error")}); subscribe again with cursor {Cursor}.", _connection.Writing);
        }
        finally
        {
            Live.Lists.Remove(this);
            // What is still queued will never be sent: give its bytes back to the connection's budget.
            _queue.Writer.TryComplete();
            while (_queue.Reader.TryRead(out var left))
            {
                if (left is byte[] message)
                {
                    _connection.Output.Budget.Release(message.Length);
                }
            }
        }
    }

    private ValueTask SendAsync(byte[] message, CancellationToken ct) => _connection.Output.SendAsync(_prefix, message, "list", ct);

    private async Task SendAllAsync(List<byte[]> messages, CancellationToken ct)
    {
        foreach (var m in messages)
        {
            await SendAsync(m, ct);
        }
    }

    /// <summary>The list as storage has it now; becomes what this list shows.</summary>
    private async Task<byte[]> SnapshotAsync(CancellationToken ct)
    {
        var at = Live.Time.GetUtcNow();
        var rows = await TopAsync(ct);
        lock (_gate)
        {
            _members.Clear();
            _order.Clear();
            var json = new List<byte[]>(rows.Count);
            foreach (var row in rows.Where(Visible))
            {
                _members[row.Id] = row.UpdatedAt;
                _order.Add((row.UpdatedAt, row.Id));
                _versions[row.Id] = Math.Max(ListRows.Version(row), _versions.GetValueOrDefault(row.Id));
                json.Add(ListRows.Json(row, Live.Json));
            }
            _maybeMore = rows.Count >= _limit;
            _cursor = rows.Count > 0 && rows[0].UpdatedAt > at ? rows[0].UpdatedAt : at;
            return ListRows.Snapshot(json, Cursor);
        }
    }

    /// <summary>
    /// What a client holding this list as of <paramref name="from"/> needs: an upsert for every changed row
    /// still in the list, a remove for every changed or deleted row that is not, and, when anything was
    /// removed, every row of the list (older rows may have moved up into it). Null when too much changed.
    /// </summary>
    private async Task<List<byte[]>?> CatchUpAsync(DateTimeOffset from, CancellationToken ct)
    {
        var since = from - ResumeMargin;
        var changed = await ChangedSinceAsync(since, ListLimits.MaxResumeChanges + 1, ct);
        var deletions = await Store.DeletionsSinceAsync(Kind == ListKind.Workflows ? Deletion.Workflow : Deletion.Task, since, ListLimits.MaxResumeChanges + 1, ct);
        if (changed.Count > ListLimits.MaxResumeChanges || deletions.Count > ListLimits.MaxResumeChanges)
        {
            return null;
        }
        var top = await TopAsync(ct);
        lock (_gate)
        {
            var messages = new List<byte[]>();
            var listed = top.Where(Visible).ToDictionary(r => r.Id, StringComparer.Ordinal);
            var sent = new HashSet<string>(StringComparer.Ordinal);
            var removed = false;
            foreach (var d in deletions)
            {
                if (!listed.ContainsKey(d.Id) && sent.Add(d.Id))
                {
                    messages.Add(ListRows.Remove(d.Id, "deleted", Cursor));
                    removed = true;
                }
            }
            foreach (var row in changed)
            {
                if (listed.ContainsKey(row.Id) || !sent.Add(row.Id))
                {
                    continue;
                }
                messages.Add(ListRows.Remove(row.Id, _filter.Matches(row) ? "limit" : "left-filter", Cursor));
                removed = true;
            }
            var changedIds = changed.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
            _members.Clear();
            _order.Clear();
            foreach (var row in top.Where(r => listed.ContainsKey(r.Id)).Reverse())
            {
                _members[row.Id] = row.UpdatedAt;
                _order.Add((row.UpdatedAt, row.Id));
                var version = ListRows.Version(row);
                if (_versions.TryGetValue(row.Id, out var seen) && seen > version)
                {
                    continue; // the live path already queued something newer
                }
                _versions[row.Id] = version;
                if (row.UpdatedAt > _cursor)
                {
                    _cursor = row.UpdatedAt;
                }
                if (removed || changedIds.Contains(row.Id))
                {
                    messages.Add(ListRows.Upsert(ListRows.Json(row, Live.Json), Cursor));
                }
            }
            _maybeMore = top.Count >= _limit;
            return messages;
        }
    }

    private async Task RefillAsync(CancellationToken ct)
    {
        var top = await TopAsync(ct);
        lock (_gate)
        {
            foreach (var row in top)
            {
                if (!_members.ContainsKey(row.Id))
                {
                    ApplyLocked(new ListChange(row, Live.Json), refill: true);
                }
            }
            _maybeMore = top.Count >= _limit;
        }
    }

    private async Task<List<ListRow>> TopAsync(CancellationToken ct) => Kind switch
    {
        ListKind.Tasks => [.. (await Store.TaskListLiveAsync(_filter, _limit, ct)).Select(ListRow.ForTask)],
        ListKind.Runs => [.. (await Store.RunListLiveAsync(_filter, _limit, ct)).Select(r => ListRow.ForRun(r.Run, r.Task))],
        _ => [.. (await Store.WorkflowListLiveAsync(_filter, _limit, ct)).Select(ListRow.ForWorkflow)],
    };

    private async Task<List<ListRow>> ChangedSinceAsync(DateTimeOffset since, int limit, CancellationToken ct) => Kind switch
    {
        ListKind.Tasks => [.. (await Store.TaskChangedSinceAsync(since, limit, ct)).Select(ListRow.ForTask)],
        ListKind.Runs => [.. (await Store.RunChangedSinceAsync(since, limit, ct)).Select(r => ListRow.ForRun(r.Run, r.Task))],
        _ => [.. (await Store.WorkflowChangedSinceAsync(since, limit, ct)).Select(ListRow.ForWorkflow)],
    };

    [LoggerMessage(EventId = 42, Level = LogLevel.Error, Message = "A live {Kind} list failed.")]
    private static partial void LogListFailed(ILogger logger, Exception ex, string kind);

    /// <summary>Oldest first, ties by id: the reverse of <see cref="ListRow.NewestFirst"/>, so <c>Min</c> is the row to evict.</summary>
    private sealed class OldestFirst : IComparer<(DateTimeOffset At, string Id)>
    {
        public static readonly OldestFirst Instance = new();

        public int Compare((DateTimeOffset At, string Id) a, (DateTimeOffset At, string Id) b)
        {
            var byTime = a.At.CompareTo(b.At);
            return byTime != 0 ? byTime : string.CompareOrdinal(a.Id, b.Id);
        }
    }
}
