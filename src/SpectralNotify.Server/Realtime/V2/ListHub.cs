using System.Threading.Channels;
using SpectralNotify.Lists;
using SpectralNotify.Realtime;
using SpectralNotify.Storage;
using SpectralNotify.Tasks;
using SpectralNotify.Workflows;

namespace SpectralNotify.Server.Realtime.V2;

/// <summary>
/// Feeds live lists: every committed change of a task, run or workflow becomes one <see cref="ListRow"/>
/// (read back from storage when the announcement carries only a position, as from another node), is
/// encoded once, and is offered to every list subscription of its kind, which decides upsert, remove
/// or nothing. Changes are handled one at a time in commit-announcement order by one loop, so a slow
/// read never reorders them; nothing is done while no list is open.
/// </summary>
public sealed partial class ListHub : IDisposable
{
    private static readonly TimeSpan ReadPatience = TimeSpan.FromSeconds(30);
    private readonly Lock _gate = new();
    private readonly Channel<FeedItem> _items = Channel.CreateUnbounded<FeedItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<ListHub> _log;
    private readonly System.Text.Json.JsonSerializerOptions _json;
    private readonly IDisposable _feed;
    private readonly CancellationTokenSource _stop = new();
    private ListHandle[] _lists = [];
    /// <summary>
    /// Tasks known not to be runs (a task never becomes a run; a deleted id may come back as one, so
    /// deletions leave it). Spares runs lists a read per change of every plain task. Loop thread only.
    /// </summary>
    private readonly HashSet<string> _notRuns = new(StringComparer.Ordinal);
    private const int MaxNotRuns = 100_000;

    public ListHub(TaskFeed feed, IStore store, TimeProvider time, ILogger<ListHub> log, Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
    {
        _store = store;
        _time = time;
        _log = log;
        _json = json.Value.SerializerOptions;
        _feed = feed.Subscribe(OnFeed);
        _ = Task.Run(() => LoopAsync(_stop.Token));
    }

    public int Count => Volatile.Read(ref _lists).Length;

    public void Add(ListHandle list)
    {
        lock (_gate)
        {
            _lists = [.. _lists, list];
        }
    }

    public void Remove(ListHandle list)
    {
        lock (_gate)
        {
            _lists = [.. _lists.Where(l => l != list)];
        }
    }

    /// <summary>After notifications may have been lost (the PostgreSQL listener reconnected): every list catches up from its cursor.</summary>
    public void Resync()
    {
        foreach (var list in Volatile.Read(ref _lists))
        {
            list.CatchUp();
        }
    }

    private void OnFeed(FeedItem item)
    {
        if (item.Kind is FeedItem.TaskKind or FeedItem.WorkflowKind && Volatile.Read(ref _lists).Length > 0)
        {
            _items.Writer.TryWrite(item);
        }
    }

    private async Task LoopAsync(CancellationToken ct)
    {
        await foreach (var item in _items.Reader.ReadUntilCompleteAsync(() => _items.Writer.TryComplete(), ct))
        {
            var lists = Volatile.Read(ref _lists);
            if (lists.Length == 0)
            {
                continue;
            }
            try
            {
                await DispatchAsync(item, lists, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A change this node could not read (the database is away): the lists of its kind read
                // everything since their cursor once they can, instead of missing it.
                LogChangeLost(_log, ex, item.Kind, item.Id);
                foreach (var list in lists)
                {
                    list.CatchUp();
                }
            }
        }
    }

    private async Task DispatchAsync(FeedItem item, ListHandle[] lists, CancellationToken ct)
    {
        if (item.Kind == FeedItem.WorkflowKind)
        {
            var workflows = lists.Where(l => l.Kind == ListKind.Workflows).ToList();
            if (workflows.Count == 0)
            {
                return;
            }
            if (item.Deleted)
            {
                workflows.ForEach(l => l.Deleted(item.Id));
                return;
            }
            var w = (item.Change as WorkflowChange)?.Workflow ?? (await ReadAsync(() => _store.WorkflowGetAsync(item.Id, ct), ct))?.Workflow;
            if (w is not null)
            {
                Offer(workflows, new ListChange(ListRow.ForWorkflow(w), _json));
            }
            return;
        }
        var tasks = lists.Where(l => l.Kind == ListKind.Tasks).ToList();
        var runs = lists.Where(l => l.Kind == ListKind.Runs).ToList();
        if (item.Deleted)
        {
            _notRuns.Remove(item.Id);
            tasks.ForEach(l => l.Deleted(item.Id));
            runs.ForEach(l => l.Deleted(item.Id));
            return;
        }
        TaskItem? task = (item.Change as TaskChange)?.Task;
        if (tasks.Count > 0)
        {
            task ??= await ReadAsync(() => _store.TaskGetAsync(item.Id, ct), ct);
            if (task is not null)
            {
                Offer(tasks, new ListChange(ListRow.ForTask(task), _json));
            }
        }
        if (runs.Count > 0 && (item.Run is not null || !_notRuns.Contains(item.Id)))
        {
            // Only the job queue's own changes carry the run; a task write to a run's task is read back.
            var run = item.Run ?? await ReadAsync(() => _store.RunGetAsync(item.Id, ct), ct);
            if (run is null)
            {
                if (_notRuns.Count >= MaxNotRuns)
                {
                    _notRuns.Clear();
                }
                _notRuns.Add(item.Id);
            }
            task ??= run is null ? null : await ReadAsync(() => _store.TaskGetAsync(item.Id, ct), ct);
            if (run is not null && task is not null)
            {
                Offer(runs, new ListChange(ListRow.ForRun(run, task), _json));
            }
        }
    }

    private static void Offer(List<ListHandle> lists, ListChange change)
    {
        foreach (var list in lists)
        {
            list.Apply(change);
        }
    }

    /// <summary>A read that waits out a brief database outage (a restart) before giving up.</summary>
    private async Task<T?> ReadAsync<T>(Func<Task<T?>> read, CancellationToken ct)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        var giveUpAt = _time.GetUtcNow() + ReadPatience;
        while (true)
        {
            try
            {
                return await read();
            }
            catch (Exception ex) when (Api.Problems.Map(ex).Status == 503 && _time.GetUtcNow() < giveUpAt && !ct.IsCancellationRequested)
            {
                await Task.Delay(delay, _time, ct);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
            }
        }
    }

    public void Dispose()
    {
        _feed.Dispose();
        _stop.Cancel();
        _stop.Dispose();
    }

    [LoggerMessage(EventId = 41, Level = LogLevel.Warning, Message = "Live lists could not read the {Kind} {Id} that changed; they catch up from their cursors.")]
    private static partial void LogChangeLost(ILogger logger, Exception ex, string kind, string id);
}
