using Prometheus;

namespace SpectralNotify.Server.Observability;

/// <summary>
/// The server's metrics, one set per host, served at <c>/metrics</c> by prometheus-net.
/// </summary>
/// <remarks>
/// Each metric is a prometheus-net metric on this instance's own <see cref="CollectorRegistry"/>, never
/// the library's static default registry: tests and embedders start several hosts in one process,
/// and each must report only its own values. A fresh registry also carries none of the library's
/// default collectors (<c>process_*</c>, <c>dotnet_*</c>); the two memory gauges below are ours.
/// <para>
/// Native prometheus-net metrics rather than its <c>MeterAdapter</c>: the adapter names each series
/// <c>{meter}_{instrument}</c> with no option to change it, exports .NET counters as gauges, adds the
/// instrument type to HELP and drops a series that has not changed for five minutes. The names and
/// types in docs/operations.md are a contract with the alerts of whoever scrapes us, so they are
/// declared here exactly. The same values are also published through the
/// <see cref="System.Diagnostics.Metrics.Meter"/> <c>SpectralNotify</c> (<see cref="SpectralMeter"/>)
/// for OpenTelemetry.
/// </para>
/// </remarks>
public sealed class SpectralMetrics : IDisposable
{
    private static readonly double[] LagBuckets = [1, 2, 5, 10, 20, 50, 100, 250, 500, 1000, 5000];
    private static readonly string[] StatusClasses = ["1xx", "2xx", "3xx", "4xx", "5xx"];
    private readonly ICounter[] _requestsByClass;
    private readonly IGauge _websockets;
    private readonly IGauge _sse;
    private readonly Gauge _claimsWaiting;
    private readonly Histogram _fanoutLag;
    private readonly SpectralMeter _meter;

    public SpectralMetrics()
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        Factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        // No exemplars. prometheus-net's default reads the current trace context on every observation;
        // for the fan-out lag, recorded once per message per subscriber, that was 4 % of the server's CPU
        // in a one-hot-task fan-out profile, and the trace it would name is the WebSocket's upgrade
        // request, which says nothing about the message.
        Factory.ExemplarBehavior = new ExemplarBehavior { DefaultExemplarProvider = static (_, _) => Exemplar.None };
        var requests = Factory.CreateCounter("spectral_http_requests_total", "HTTP requests answered, by status class.", "code");
        // Every class is written from the start (as 0), so a rate over 5xx exists before the first error.
        _requestsByClass = [.. StatusClasses.Select(c => requests.WithLabels(c))];
        EventsAppended = Counter("spectral_events_appended_total", "Task events committed, as seen on this node's change feed.");
        Broadcasts = Counter("spectral_broadcasts_total", "Committed changes fanned out to live subscribers.");
        MessagesSent = Counter("spectral_messages_sent_total", "Live messages written to connections.");
        GapRepairs = Counter("spectral_gap_repairs_total",
            "Times a subscriber read changes from storage instead of the live feed (gaps, position-only notifications).");
        SlowConsumersClosed = Counter("spectral_slow_consumers_closed_total", "Connections closed because their queue overflowed.");
        LiveConnectionsRefused = Counter("spectral_live_connections_refused_total",
            "Live connections refused with 503 because a connection cap was reached.");
        var live = Factory.CreateGauge("spectral_live_connections", "Open live connections, by transport.", "transport");
        _websockets = live.WithLabels("websocket");
        _sse = live.WithLabels("sse");
        _claimsWaiting = Factory.CreateGauge("spectral_claims_waiting", "Long-poll claims waiting for work.");
        var rss = Factory.CreateGauge("process_resident_memory_bytes", "Resident set size of the server process.");
        var heap = Factory.CreateGauge("dotnet_gc_heap_bytes", "Bytes in the managed heap, live and not yet collected.");
        Registry.AddBeforeCollectCallback(() =>
        {
            rss.Set(Environment.WorkingSet);
            heap.Set(GC.GetTotalMemory(forceFullCollection: false));
        });
        _fanoutLag = Factory.CreateHistogram("spectral_fanout_lag_milliseconds",
            "Time from commit to the message being written to a connection.", new HistogramConfiguration { Buckets = LagBuckets });
        _meter = new SpectralMeter(this);
    }

    /// <summary>This host's registry: what <c>/metrics</c> serializes. An embedding app may add its own metrics to it.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>Creates metrics on <see cref="Registry"/>; for values other services own (see <see cref="ScrapeTimeMetrics"/>).</summary>
    internal MetricFactory Factory { get; }

    public MetricCounter EventsAppended { get; }
    public MetricCounter Broadcasts { get; }
    public MetricCounter MessagesSent { get; }
    public MetricCounter GapRepairs { get; }
    public MetricCounter SlowConsumersClosed { get; }
    public MetricCounter LiveConnectionsRefused { get; }

    /// <summary>Counts an answer in its status class; a status below 100 has no class and is not counted.</summary>
    public void RecordRequest(int status)
    {
        var c = Math.Min(status / 100, 5);
        if (c >= 1)
        {
            _requestsByClass[c - 1].Inc();
        }
    }

    /// <summary>Answers so far per status class, <c>1xx</c> to <c>5xx</c>.</summary>
    public IEnumerable<(string Code, long Count)> RequestsByClass =>
        StatusClasses.Select((c, i) => (c, (long)_requestsByClass[i].Value));

    /// <summary>Open WebSocket connections.</summary>
    public long LiveWebSockets => (long)_websockets.Value;

    /// <summary>Open SSE streams.</summary>
    public long LiveSse => (long)_sse.Value;

    /// <summary>Long-poll claims waiting for work (<c>waitSeconds</c>).</summary>
    public long ClaimsWaiting => (long)_claimsWaiting.Value;

    public void ClaimWaitStarted() => _claimsWaiting.Inc();

    public void ClaimWaitEnded() => _claimsWaiting.Dec();

    public void ConnectionOpened(string type) => (type == "sse" ? _sse : _websockets).Inc();

    public void ConnectionClosed(string type) => (type == "sse" ? _sse : _websockets).Dec();

    public void RecordFanoutLag(double ms)
    {
        var lag = Math.Max(0, ms);
        _fanoutLag.Observe(lag);
        _meter.RecordFanoutLag(lag);
    }

    private MetricCounter Counter(string name, string help) => new(Factory.CreateCounter(name, help));

    public void Dispose() => _meter.Dispose();
}
