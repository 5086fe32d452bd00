namespace SpectralNotify.Health;

/// <summary>
/// The vital signs of one background component (the SQLite writer, a claim loop, the scheduler, the
/// PostgreSQL listener, …): when it last did its work, how often it failed, and what is wrong with it
/// now. Components report after every pass; <c>/readyz</c> and <c>/metrics</c> read them, so a loop
/// that cannot continue is visible from outside instead of stopping without a word.
/// </summary>
/// <remarks>Thread-safe: a component reports from its own loop while requests read it.</remarks>
public sealed class ComponentHealth(string name)
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _lastSuccess;
    private DateTimeOffset? _failingSince;
    private string? _problem;
    private bool _stopped;
    private long _failures;

    /// <summary>A short, stable name (<c>sqlite-writer</c>, <c>worker-claim:default</c>): the metrics label and the readiness key.</summary>
    public string Name { get; } = name;

    public DateTimeOffset? LastSuccess { get { lock (_gate) { return _lastSuccess; } } }

    /// <summary>Failed passes since start; a counter, never reset.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>What is wrong now; null while the component is working.</summary>
    public string? Problem { get { lock (_gate) { return _problem; } } }

    /// <summary>Since when the current problem lasts.</summary>
    public DateTimeOffset? FailingSince { get { lock (_gate) { return _failingSince; } } }

    /// <summary>True once the component has given up (it will not recover without a restart).</summary>
    public bool Stopped { get { lock (_gate) { return _stopped; } } }

    /// <summary>
    /// Raised when a problem starts (with its text), when the component stops, and when it recovers
    /// (with null): the host logs these transitions, not every failed pass, so a long outage is a few
    /// lines, not thousands.
    /// </summary>
    public event Action<ComponentHealth, string?>? ProblemChanged;

    /// <summary>A listener that throws (a failing log sink) must not break the component reporting.</summary>
    private void Raise(string? problem)
    {
        try
        {
            ProblemChanged?.Invoke(this, problem);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Reporting is best effort; the state above is already recorded for /readyz and /metrics.
        }
    }

    private TaskCompletionSource _pass = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Test signal: completes after the component's next reported pass, whatever its outcome.</summary>
    public Task NextPass => Volatile.Read(ref _pass).Task;

    private void Passed() => Interlocked.Exchange(ref _pass, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>A pass did its work: any problem is over.</summary>
    public void Succeeded(DateTimeOffset now)
    {
        bool recovered;
        lock (_gate)
        {
            _lastSuccess = now;
            recovered = _problem is not null && !_stopped;
            if (recovered)
            {
                _problem = null;
                _failingSince = null;
            }
        }
        if (recovered)
        {
            Raise(null);
        }
        Passed();
    }

    /// <summary>A pass failed; the component goes on (backing off) and says what is wrong until a pass succeeds.</summary>
    public void Failed(string problem, DateTimeOffset now)
    {
        Interlocked.Increment(ref _failures);
        bool started;
        lock (_gate)
        {
            started = _problem is null;
            _problem = _stopped ? _problem : problem;
            _failingSince ??= now;
        }
        if (started)
        {
            Raise(problem);
        }
        Passed();
    }

    /// <summary>The component cannot continue: readiness fails until the process restarts.</summary>
    public void Stop(string problem, DateTimeOffset now)
    {
        Interlocked.Increment(ref _failures);
        lock (_gate)
        {
            _problem = problem;
            _failingSince ??= now;
            _stopped = true;
        }
        Raise(problem);
        Passed();
    }
}
