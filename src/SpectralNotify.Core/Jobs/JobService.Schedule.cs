namespace SpectralNotify.Jobs;

public sealed partial class JobService
{
    // Timers here wake up to a few milliseconds early (millisecond ticks); waking just after the due
    // time saves an empty pass, which on PostgreSQL is a transaction.
    private static readonly TimeSpan WakeMargin = TimeSpan.FromMilliseconds(2);
    private TaskCompletionSource _schedules = NewSignal();
    private long _lastFirePassTicks;

    /// <summary>
    /// Between firing passes: sleeps until the earliest stored fire time, at most <paramref name="interval"/>,
    /// and wakes early when a job is created or changed through this node. A fixed poll would fire a job
    /// up to a whole interval late (250 ms by default); this fires it within a pass's own duration.
    /// </summary>
    public async Task WaitForNextFireAsync(TimeSpan interval, CancellationToken ct)
    {
        // Taken before the read: a job saved after it wakes this wait even if the read missed it.
        var changed = Volatile.Read(ref _schedules).Task;
        var next = await store.JobNextFireAtAsync(ct);
        var lastPass = new DateTimeOffset(Interlocked.Read(ref _lastFirePassTicks), TimeSpan.Zero);
        var wait = Until(next, time.GetUtcNow(), lastPass, interval);
        if (wait > TimeSpan.Zero)
        {
            await Task.WhenAny(Task.Delay(wait, time, ct), changed);
        }
    }

    /// <summary>
    /// How long to sleep before the next pass when the earliest stored fire time is <paramref name="next"/>
    /// and the last pass looked for due jobs at <paramref name="lastPass"/>.
    /// </summary>
    /// <remarks>
    /// A time that came due after the last pass looked is fired at once. One that was already due
    /// then and is still stored was not the pass's to fire: another node holds it (<c>SKIP LOCKED</c>)
    /// or it is quarantined; the wait is then the full interval, not a spin on a row this node cannot take.
    /// </remarks>
    public static TimeSpan Until(DateTimeOffset? next, DateTimeOffset now, DateTimeOffset lastPass, TimeSpan interval)
    {
        if (next is not { } due)
        {
            return interval;
        }
        if (due <= now)
        {
            return due > lastPass ? TimeSpan.Zero : interval;
        }
        var wait = due - now + WakeMargin;
        return wait < interval ? wait : interval;
    }

    private void NoteFirePass(DateTimeOffset now) => Interlocked.Exchange(ref _lastFirePassTicks, now.UtcTicks);

    private void SignalSchedules() => Interlocked.Exchange(ref _schedules, NewSignal()).TrySetResult();
}
