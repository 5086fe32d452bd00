namespace SpectralNotify.Jobs;

/// <summary>
/// Wakes this node's waiting workers when a run it announced with a future <c>runAt</c> becomes
/// claimable: a schedule's run made ahead of its due time, a delayed enqueue, a retry after a
/// backoff. Without it they would learn of such a run at their next poll (up to 500 ms later).
/// </summary>
/// <remarks>
/// One timer for the earliest pending time. Times are rounded up to <see cref="Granularity"/>: each
/// wake makes every waiting worker of the node claim (a write), and schedules spread over a second
/// would otherwise wake them a thousand times in it. Timers here may fire a few milliseconds early,
/// so a firing takes only the times that have passed and re-arms for the rest instead of signalling
/// early (a claim made before <c>runAt</c> would find nothing and wait for the next poll).
/// </remarks>
public sealed class RunAtAlarm : IDisposable
{
    private readonly TimeProvider _time;
    private readonly Action _due;
    // Ordered and distinct: a thousand runs due in one 10 ms step are one entry, and Min is the next wake.
    private readonly SortedSet<DateTimeOffset> _pending = [];
    private readonly ITimer _timer;
    private readonly Lock _lock = new();

    public RunAtAlarm(TimeProvider time, Action due)
    {
        _time = time;
        _due = due;
        _timer = time.CreateTimer(_ => Fire(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Times waiting (distinct), for tests and metrics.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Wakes are at most this late, and at most this frequent.</summary>
    public static readonly TimeSpan Granularity = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// Times further away are not kept: the workers' poll finds those runs, a wake saves little there,
    /// and the alarm's memory stays bounded (a week of delayed runs would be a timer entry per 10 ms).
    /// It also keeps every timer period far below the runtime's limit of about 49 days.
    /// </summary>
    public static readonly TimeSpan Horizon = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Signals at <paramref name="when"/>, rounded up to <see cref="Granularity"/>; at once if that has
    /// passed; not at all beyond <see cref="Horizon"/>.
    /// </summary>
    public void At(DateTimeOffset when)
    {
        var now = _time.GetUtcNow();
        if (when - now > Horizon)
        {
            return;
        }
        var step = Granularity.Ticks;
        when = new DateTimeOffset((when.UtcTicks + step - 1) / step * step, TimeSpan.Zero);
        if (when <= now)
        {
            _due(); // it came while the caller was deciding it was for later
            return;
        }
        lock (_lock)
        {
            if (_pending.Add(when) && when == _pending.Min)
            {
                ArmLocked();
            }
        }
    }

    private void Fire()
    {
        var any = false;
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            while (_pending.Count > 0 && _pending.Min <= now)
            {
                _pending.Remove(_pending.Min);
                any = true;
            }
            ArmLocked();
        }
        if (any)
        {
            _due();
        }
    }

    private void ArmLocked()
    {
        if (_pending.Count == 0)
        {
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }
        var wait = _pending.Min - _time.GetUtcNow();
        // A time already passed (the timer came late): fire at once on the timer's thread.
        _timer.Change(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    public void Dispose() => _timer.Dispose();
}
