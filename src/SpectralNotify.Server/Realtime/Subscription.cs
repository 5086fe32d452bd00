using System.Threading.Channels;
using SpectralNotify.Server.Observability;

namespace SpectralNotify.Server.Realtime;

/// <summary>
/// One live connection's view of one entity: a queue bounded in messages and in bytes, fed by
/// <see cref="TaskHub"/>, and a writer loop that delivers messages strictly in <c>seq</c> order, exactly once.
/// </summary>
/// <remarks>
/// The invariant: <see cref="_lastSent"/> is the highest seq delivered, and every seq below it
/// was delivered. The loop drops anything at or below it (duplicates from replay overlap or from
/// several nodes) and, on a jump, first reads the missing range from storage. Storage holds every
/// seq below any seq we have seen, because a task's events commit in seq order (single SQLite
/// writer; PostgreSQL row lock). Replay after <c>?after=N</c> is the same repair, starting at N.
/// The subscription is registered with the hub before the replay read, so nothing committed after
/// that read can be missed.
/// </remarks>
public sealed class Subscription
{
    // A page of replay or gap repair holds at most 500 messages or about 1 MiB, whichever comes
    // first (audit finding 7: pages counted only in events made 20 replays of one big workflow 4.9 GB).
    private static readonly ReplayLimit PageLimit = ReplayLimit.Default;
    // How long a repair read waits out an unreachable database (a PostgreSQL restart, terminated
    // backends) before the connection is closed with "resume with ?after=N". Live messages queue
    // meanwhile, so a brief outage costs the subscriber nothing.
    private static readonly TimeSpan RepairPatience = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MaxRepairBackoff = TimeSpan.FromSeconds(2);
    private readonly Channel<Outgoing> _queue;
    private readonly ILiveSource _source;
    private readonly ILiveSink _sink;
    private readonly SpectralMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ByteBudget _budget;
    private readonly bool _closeOnEnd;
    private long _lastSent;
    private int _overflowed;
    private int _completed;

    /// <param name="after">Resume point: deliver every seq &gt; after. Live-only callers pass the seq committed when they
    /// connected (<see cref="LiveServices.StartAsync"/>): announcements can arrive out of order, so starting at whichever
    /// arrives first could skip earlier changes. -1 only with a snapshot, which then sets the start.</param>
    /// <param name="budget">The connection's byte budget; null for a budget of its own of <see cref="QueueBounds.Bytes"/>.</param>
    /// <param name="closeOnEnd">Protocol v2 without <c>follow</c>: stop after a message that ends the stream (<see cref="Outgoing.End"/>).</param>
    public Subscription(ILiveSource source, string id, long after, QueueBounds bounds, ILiveSink sink, SpectralMetrics metrics, TimeProvider time,
        ByteBudget? budget = null, bool closeOnEnd = false)
    {
        Id = id;
        _lastSent = after;
        _source = source;
        _sink = sink;
        _metrics = metrics;
        _time = time;
        _budget = budget ?? new ByteBudget(bounds.Bytes);
        _closeOnEnd = closeOnEnd;
        _queue = Channel.CreateBounded<Outgoing>(new BoundedChannelOptions(bounds.Messages)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>The entity's kind (task, counter) and id.</summary>
    public string Kind => _source.Kind;

    public string Id { get; }

    /// <summary>The hub's key for this entity.</summary>
    public string TopicKey => TaskHub.Key(_source.Namespace, Id);

    /// <summary>True once a message ended the stream (a terminal change or a deletion) and the subscription closed on it.</summary>
    public bool Ended { get; private set; }

    /// <summary>Sets the resume point before <see cref="RunAsync"/> when it was only known after registering with the hub.</summary>
    public void Begin(long after) => _lastSent = after;

    public long LastSent => Interlocked.Read(ref _lastSent);

    /// <summary>
    /// Called once when the queue overflows, from the publisher's thread: a connection whose writer is
    /// stuck on a full socket learns it at once instead of at its next send.
    /// </summary>
    public Action? OnOverflow { get; init; }

    /// <summary>True once the queue overflowed; the connection is being closed as too slow.</summary>
    public bool Overflowed => Volatile.Read(ref _overflowed) == 1;

    /// <summary>
    /// Queues a message without waiting. A full queue (in messages or in bytes) marks the subscriber
    /// too slow and ends its loop. An empty queue takes any one message, however big, so a size
    /// alone never closes a subscriber that keeps up.
    /// </summary>
    public void Offer(Outgoing message)
    {
        var fits = _budget.TryAdd(message.Payload.Length);
        if (fits && _queue.Writer.TryWrite(message))
        {
            return;
        }
        if (fits)
        {
            // Not queued (the queue is complete or full): the bytes are not held. On a v2 connection the
            // budget is shared, and a subscription that ended must not keep counting what it refuses.
            _budget.Release(message.Payload.Length);
        }
        // After Complete the queue refuses every write; that is the subscription ending, not a slow subscriber.
        if (Volatile.Read(ref _completed) == 0 && Interlocked.Exchange(ref _overflowed, 1) == 0)
        {
            _queue.Writer.TryComplete();
            OnOverflow?.Invoke();
        }
    }

    /// <summary>Control messages (pong, error) bypass ordering but share the queue so writes never interleave.</summary>
    public void OfferControl(byte[] payload, string type = "control") => Offer(new Outgoing(Outgoing.Control, type, payload));

    /// <summary>Takes no more messages: the writer loop sends what is already queued, then ends.</summary>
    public void Complete()
    {
        Volatile.Write(ref _completed, 1);
        _queue.Writer.TryComplete();
    }

    /// <summary>Sends a snapshot first when asked, then the replay, then live messages until the queue completes.</summary>
    public async Task RunAsync(bool snapshot, System.Text.Json.JsonSerializerOptions json, CancellationToken ct)
    {
        try
        {
            await SendAllAsync(snapshot, json, ct);
        }
        finally
        {
            // Whatever way the loop ended (unsubscribed, closed, ended, failed), what is still queued
            // will never be sent: give its bytes back to the connection's budget, which other
            // subscriptions of a v2 connection go on using.
            Complete();
            while (_queue.Reader.TryRead(out var left))
            {
                _budget.Release(left.Payload.Length);
            }
        }
    }

    private async Task SendAllAsync(bool snapshot, System.Text.Json.JsonSerializerOptions json, CancellationToken ct)
    {
        if (snapshot)
        {
            var (seq, payload) = await _source.SnapshotAsync(Id, json, ct);
            await SendAsync(new Outgoing(Outgoing.Control, "snapshot", payload), ct);
            if (_lastSent < 0)
            {
                _lastSent = seq;
            }
        }
        await CatchUpAsync(long.MaxValue, ct);
        if (Ended)
        {
            return;
        }
        await foreach (var message in _queue.Reader.ReadUntilCompleteAsync(Complete, ct))
        {
            _budget.Release(message.Payload.Length);
            if (Overflowed)
            {
                // Stop writing: the endpoint closes the connection and the client resumes from LastSent.
                return;
            }
            if (message.Seq == Outgoing.Control)
            {
                await SendAsync(message, ct);
                continue;
            }
            if (message.Type == TaskHub.HintType)
            {
                // The change is known only by position (too big for a notification, or a reorder
                // window that ran out): read it from storage.
                _metrics.GapRepairs.Add(1);
                if (_lastSent < 0)
                {
                    if (message.Seq == TaskHub.ResyncSeq)
                    {
                        continue; // nothing sent yet: its first change reads storage anyway
                    }
                    _lastSent = message.Seq - 1;
                }
                await CatchUpAsync(message.Seq, ct);
                if (Ended)
                {
                    return;
                }
                continue;
            }
            if (message.Seq == 0)
            {
                // Deleted: the task's sequence restarts at 1 if it is created again.
                await SendAsync(message, ct);
                _lastSent = 0;
                if (await EndsAsync(message, ct))
                {
                    return;
                }
                continue;
            }
            if (_lastSent >= 0 && message.Seq <= _lastSent)
            {
                continue;
            }
            if (_lastSent >= 0 && message.Seq > _lastSent + 1)
            {
                _metrics.GapRepairs.Add(1);
                await CatchUpAsync(message.Seq - 1, ct);
                if (Ended)
                {
                    return;
                }
                if (message.Seq <= _lastSent)
                {
                    continue;
                }
            }
            await SendAsync(message, ct);
            _lastSent = message.Seq;
            if (await EndsAsync(message, ct))
            {
                return;
            }
        }
    }

    /// <summary>After <paramref name="sent"/>: sends its <c>end</c> message, if any; true when the subscription closes on it.</summary>
    private async Task<bool> EndsAsync(Outgoing sent, CancellationToken ct)
    {
        if (sent.End is not { } end)
        {
            return false;
        }
        if (end.Length > 0)
        {
            await SendAsync(new Outgoing(Outgoing.Control, "end", end), ct);
        }
        Ended = _closeOnEnd;
        return _closeOnEnd;
    }

    private async Task CatchUpAsync(long upTo, CancellationToken ct)
    {
        while (_lastSent < upTo)
        {
            var page = await ReadAfterAsync(ct);
            if (page.Messages.Count == 0)
            {
                return;
            }
            foreach (var m in page.Messages)
            {
                if (m.Seq > upTo)
                {
                    return;
                }
                await SendAsync(m, ct);
                _lastSent = m.Seq;
                if (await EndsAsync(m, ct))
                {
                    return;
                }
            }
            if (!page.Full)
            {
                return; // storage had no more
            }
        }
    }

    /// <summary>Reads the page after <see cref="_lastSent"/>, retrying with backoff while the database answers 503.</summary>
    private async Task<ReplayPage> ReadAfterAsync(CancellationToken ct)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        var giveUpAt = _time.GetUtcNow() + RepairPatience;
        while (true)
        {
            try
            {
                return await _source.ReadAfterAsync(Id, _lastSent, PageLimit, ct);
            }
            catch (Exception ex) when (Api.Problems.Map(ex).Status == 503 && _time.GetUtcNow() < giveUpAt && !ct.IsCancellationRequested)
            {
                await Task.Delay(delay, _time, ct);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRepairBackoff.Ticks));
            }
        }
    }

    private async Task SendAsync(Outgoing message, CancellationToken ct)
    {
        await _sink.SendAsync(message, ct);
        _metrics.MessagesSent.Add(1);
        if (message.CommittedAt is { } at)
        {
            _metrics.RecordFanoutLag((_time.GetUtcNow() - at).TotalMilliseconds);
        }
    }
}

/// <summary>The transport under a subscription: a WebSocket or an SSE response.</summary>
public interface ILiveSink
{
    Task SendAsync(Outgoing message, CancellationToken ct);
}
