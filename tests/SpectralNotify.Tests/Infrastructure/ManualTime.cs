namespace SpectralNotify.Tests.Infrastructure;

/// <summary>
/// A clock tests move by hand whose timers still run on the wall clock: for whole server hosts, whose
/// background loops must keep polling while a test moves "now" (leases, TTLs, schedules). Where timers
/// themselves are under test, use FakeTimeProvider, whose timers fire only on Advance.
/// </summary>
public sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;
    private readonly Lock _gate = new();

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public void Advance(TimeSpan by)
    {
        lock (_gate)
        {
            _now += by;
        }
    }
}
