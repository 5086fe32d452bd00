using SpectralNotify.Lists;

namespace SpectralNotify.Server.Realtime.V2;

/// <summary>Opens one subscription of a v2 connection: checks access, fixes the start, sends <c>subscribed</c> (and a snapshot), starts it.</summary>
internal static partial class LiveOpener
{
    /// <summary>The open subscription, or null when an <c>error</c> (or, for an entity already terminal, its <c>end</c>) was sent instead.</summary>
    public static async Task<ILiveHandle?> OpenAsync(ILiveConnection c, SubscribeRequest r, byte[] prefix, CancellationToken ct)
    {
        if (r.EntityId is null || r.Name == "job")
        {
            if (!ListAccess.MayOpen(c.Live, c.Caller, r))
            {
                await c.ErrorAsync(r.Id, "forbidden", $"This connection's key or token may not read {r.Topic}.", ct);
                return null;
            }
            return await OpenListAsync(c, r, prefix, ct);
        }
        return await OpenEntityAsync(c, r, prefix, ct);
    }

    /// <summary>Whether <paramref name="caller"/> may open <paramref name="r"/> at all (lists: may list, or holds a scope of the kind).</summary>
    public static async Task<bool> MayOpenAsync(LiveContext live, Access.Caller caller, SubscribeRequest r, CancellationToken ct) =>
        r.EntityId is null || r.Name == "job"
            ? ListAccess.MayOpen(live, caller, r)
            : live.MayRead(caller, live.Topic(r.Name).Resource, r.EntityId, await live.JobOfRunAsync(live.Topic(r.Name).Resource, r.EntityId, ct));

    private static async Task<ILiveHandle?> OpenEntityAsync(ILiveConnection c, SubscribeRequest r, byte[] prefix, CancellationToken ct)
    {
        var live = c.Live;
        var topic = live.Topic(r.Name);
        var id = r.EntityId!;
        // The job a run belongs to is fixed: read once, for this check and for re-checks after a token renewal.
        var jobOfRun = await live.JobOfRunAsync(topic.Resource, id, ct);
        if (!live.MayRead(c.Caller, topic.Resource, id, jobOfRun))
        {
            await c.ErrorAsync(r.Id, "forbidden", $"This connection's key or token may not read {r.Topic}.", ct);
            return null;
        }
        var sub = new Subscription(topic, id, -1, live.Bounds, new LiveOutputSink(c.Output, prefix), live.Metrics, live.Time,
            c.Output.Budget, closeOnEnd: !r.Follow) { OnOverflow = c.Overflowed };
        var handle = new EntityHandle(r.Id, sub, caller => live.MayRead(caller, topic.Resource, id, jobOfRun),
            c.Writing);
        // Registered before the state is read, so nothing committed after that read can be missed.
        live.Hub.Add(sub);
        EntityState state;
        try
        {
            state = await topic.StateAsync(id, ct);
        }
        catch
        {
            live.Hub.Remove(sub);
            throw;
        }
        var (start, recovered, snapshot) = Resume(r, state);
        await c.Output.SendAsync(prefix, LiveMessages.Subscribed(r.Topic, state.Epoch, start, recovered), "subscribed", ct);
        if (snapshot)
        {
            await c.Output.SendAsync(prefix, state.Snapshot, "snapshot", ct);
        }
        if (!r.Follow && state.EndReason is { } ended && start >= state.Seq)
        {
            // Already terminal and nothing left to replay: the end it would have seen live, now.
            live.Hub.Remove(sub);
            await c.Output.SendAsync(prefix, LiveMessages.End(ended, state.Seq), "end", ct);
            return null;
        }
        sub.Begin(start);
        handle.Start(async stop =>
        {
            try
            {
                await sub.RunAsync(false, live.Json, stop);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                if (!stop.IsCancellationRequested)
                {
                    var unavailable = Api.Problems.Map(ex).Status == 503;
                    if (!unavailable)
                    {
                        LogSubscriptionFailed(live.Log, ex, r.Topic);
                    }
                    await c.ErrorAsync(r.Id, "unavailable", $"The subscription stopped ({(unavailable ? "the database cannot answer" : "a server error")}); subscribe again with after={sub.LastSent} and its epoch.", c.Writing);
                }
            }
            finally
            {
                live.Hub.Remove(sub);
            }
        });
        return handle;
    }

    private static async Task<ILiveHandle?> OpenListAsync(ILiveConnection c, SubscribeRequest r, byte[] prefix, CancellationToken ct)
    {
        ListFilter filter;
        ListKind kind;
        if (r.Name == "job")
        {
            kind = ListKind.Runs;
            filter = ListFilter.ForJob(r.EntityId!);
        }
        else
        {
            ListKindNames.TryParse(r.Name, out kind);
            if (!ListFilter.TryParse(kind, r.Filter, out var parsed, out var why))
            {
                await c.ErrorAsync(r.Id, "invalid-filter", why, ct);
                return null;
            }
            filter = parsed;
        }
        DateTimeOffset? cursor = null;
        if (r.Cursor is not null)
        {
            if (!ListCursor.TryParse(r.Cursor, out var at))
            {
                await c.ErrorAsync(r.Id, "bad-request", "\"cursor\" is not one this server sent; subscribe without it for a fresh snapshot.", ct);
                return null;
            }
            cursor = at;
        }
        var handle = new ListHandle(c, r.Id, prefix, kind, filter, r.Limit ?? ListLimits.DefaultLimit);
        c.Live.Lists.Add(handle);
        try
        {
            await handle.OpenAsync(r.Topic, cursor, ct);
        }
        catch
        {
            c.Live.Lists.Remove(handle);
            throw;
        }
        return handle;
    }

    /// <summary>Where the stream starts, whether that honours the client's resume point, and whether a snapshot goes first.</summary>
    internal static (long Start, bool Recovered, bool Snapshot) Resume(SubscribeRequest r, EntityState state)
    {
        if (r.After is not { } after)
        {
            return (state.Seq, false, r.Snapshot);
        }
        var sameIncarnation = r.Epoch is null || r.Epoch == state.Epoch;
        return sameIncarnation && after <= state.Seq
            ? (after, true, r.Snapshot)
            : (state.Seq, false, true); // re-created, gone, or ahead of storage: say so and start over from a snapshot
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Error, Message = "A live subscription to {Topic} failed.")]
    private static partial void LogSubscriptionFailed(ILogger logger, Exception ex, string topic);
}
