namespace SpectralNotify.Jobs;

public sealed partial class JobService : IDisposable
{
    /// <summary>
    /// How far ahead a firing pass fires: a job due within this time gets its run now, claimable from
    /// its due time, so the run is committed and announced when that time comes instead of a pass's
    /// duration (a transaction and its flush) after it.
    /// </summary>
    public static readonly TimeSpan FireAhead = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// How long before the earliest due time the scheduler wakes: it then fires what is due in the next
    /// <see cref="FireAhead"/>, about 100 ms worth of schedules per pass, each committed ~100 ms or more
    /// early. Measured (bench cron): passes of ~20 ms worth (120/100) made more commits and claimed
    /// later on PostgreSQL (34 % against 73 % within 50 ms on two nodes); 200/100 is the better of the two.
    /// </summary>
    public static readonly TimeSpan WakeAhead = TimeSpan.FromMilliseconds(100);

    private TaskCompletionSource _schedules = NewSignal();
    private long _lastFirePassTicks;
    private long _scheduleChanges;
    private long _changesAtLastPass;
    private RunAtAlarm? _alarm;

    /// <summary>Wakes this node's workers when a run it announced for later becomes claimable.</summary>
    public RunAtAlarm Alarm => LazyInitializer.EnsureInitialized(ref _alarm, () => new RunAtAlarm(time, SignalWork));

    /// <summary>
    /// Between firing passes: sleeps until shortly before the earliest stored fire time, at most
    /// <paramref name="interval"/>, and wakes early when a job is created or changed through this node.
    /// A fixed poll would fire a job up to a whole interval late (250 ms by default).
    /// </summary>
    public async Task WaitForNextFireAsync(TimeSpan interval, CancellationToken ct)
    {
        // Taken before the read: a job saved after it wakes this wait even if the read missed it.
        var changed = Volatile.Read(ref _schedules).Task;
        var next = await store.JobNextFireAtAsync(ct);
        // A job saved since the last pass began may be due inside the window that pass fired, which
        // it did not see: that time is not another node's, so it must not wait a whole interval.
        var lastPass = Interlocked.Read(ref _scheduleChanges) == Interlocked.Read(ref _changesAtLastPass)
            ? new DateTimeOffset(Interlocked.Read(ref _lastFirePassTicks), TimeSpan.Zero)
            : DateTimeOffset.MinValue;
        var wait = Until(next, time.GetUtcNow(), lastPass, interval, FireAhead, WakeAhead);
        if (wait > TimeSpan.Zero)
        {
            await Task.WhenAny(Task.Delay(wait, time, ct), changed);
        }
    }

    /// <summary>
    /// How long to sleep before the next pass when the earliest stored fire time is <paramref name="next"/>,
    /// the last pass looked at <paramref name="lastPass"/> and fired what was due within <paramref name="ahead"/>,
    /// and passes start <paramref name="lead"/> before a fire time.
    /// </summary>
    /// <remarks>
    /// A time the last pass should have fired and that is still stored was not its to fire: another node
    /// holds it (<c>SKIP LOCKED</c>) or it is quarantined; the wait is then the full interval, not a spin on
    /// a row this node cannot take.
    /// </remarks>
    public static TimeSpan Until(DateTimeOffset? next, DateTimeOffset now, DateTimeOffset lastPass, TimeSpan interval, TimeSpan ahead, TimeSpan lead)
    {
        if (next is not { } due)
        {
            return interval;
        }
        if (due <= lastPass + ahead)
        {
            return interval;
        }
        var wait = due - lead - now;
        return wait <= TimeSpan.Zero ? TimeSpan.Zero : wait < interval ? wait : interval;
    }

    private void NoteFirePass(DateTimeOffset now)
    {
        Interlocked.Exchange(ref _changesAtLastPass, Interlocked.Read(ref _scheduleChanges));
        Interlocked.Exchange(ref _lastFirePassTicks, now.UtcTicks);
    }

    private void SignalSchedules()
    {
        Interlocked.Increment(ref _scheduleChanges);
        Interlocked.Exchange(ref _schedules, NewSignal()).TrySetResult();
    }

    public void Dispose() => _alarm?.Dispose();
}
