using Prometheus;

namespace SpectralNotify.Server.Observability;

/// <summary>
/// One of <see cref="SpectralMetrics"/>' counters. Callers only add and read, so they do not depend on
/// the library that exports it.
/// </summary>
public sealed class MetricCounter
{
    private readonly ICounter _counter;

    internal MetricCounter(ICounter counter) => _counter = counter;

    public long Value => (long)_counter.Value;

    public void Add(long n) => _counter.Inc(n);
}
