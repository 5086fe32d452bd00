using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace SpectralNotify.Server.Observability;

/// <summary>
/// The server's counters. They are published through a <see cref="Meter"/> named
/// <c>SpectralNotify</c> (for any OpenTelemetry exporter) and rendered as Prometheus text at
/// <c>/metrics</c>; no Prometheus package restores here, so the text format is written by hand.
/// </summary>
public sealed class SpectralMetrics : IDisposable
{
    private static readonly double[] LagBuckets = [1, 2, 5, 10, 20, 50, 100, 250, 500, 1000, 5000];
    private readonly long[] _lagCounts = new long[LagBuckets.Length + 1];
    private long _lagSumMicros;
    private readonly long[] _requestsByClass = new long[6];
    private long _websockets;
    private long _sse;
    private long _claimsWaiting;
    private readonly Meter _meter = new("SpectralNotify");

    public SpectralMetrics()
    {
        _meter.CreateObservableCounter("spectral_http_requests", () => _requestsByClass.Sum());
        _meter.CreateObservableCounter("spectral_events_appended", () => EventsAppended.Value);
        _meter.CreateObservableUpDownCounter("spectral_live_connections", () => Interlocked.Read(ref _websockets) + Interlocked.Read(ref _sse));
    }

    public AtomicCounter EventsAppended { get; } = new();
    public AtomicCounter Broadcasts { get; } = new();
    public AtomicCounter MessagesSent { get; } = new();
    public AtomicCounter GapRepairs { get; } = new();
    public AtomicCounter SlowConsumersClosed { get; } = new();
    public AtomicCounter LiveConnectionsRefused { get; } = new();

    public void RecordRequest(int status) => Interlocked.Increment(ref _requestsByClass[Math.Clamp(status / 100, 0, 5)]);

    /// <summary>Open WebSocket connections.</summary>
    public long LiveWebSockets => Interlocked.Read(ref _websockets);

    /// <summary>Open SSE streams.</summary>
    public long LiveSse => Interlocked.Read(ref _sse);

    /// <summary>Long-poll claims waiting for work (<c>waitSeconds</c>).</summary>
    public long ClaimsWaiting => Interlocked.Read(ref _claimsWaiting);

    public void ClaimWaitStarted() => Interlocked.Increment(ref _claimsWaiting);

    public void ClaimWaitEnded() => Interlocked.Decrement(ref _claimsWaiting);

    public void ConnectionOpened(string type) => Interlocked.Increment(ref type == "sse" ? ref _sse : ref _websockets);

    public void ConnectionClosed(string type) => Interlocked.Decrement(ref type == "sse" ? ref _sse : ref _websockets);

    public void RecordFanoutLag(double ms)
    {
        var i = 0;
        while (i < LagBuckets.Length && ms > LagBuckets[i])
        {
            i++;
        }
        Interlocked.Increment(ref _lagCounts[i]);
        Interlocked.Add(ref _lagSumMicros, (long)(Math.Max(0, ms) * 1000));
    }

    /// <summary>Prometheus text exposition format 0.0.4.</summary>
    public string RenderPrometheus(int topics)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# HELP spectral_http_requests_total HTTP requests answered, by status class.");
        sb.AppendLine("# TYPE spectral_http_requests_total counter");
        for (var c = 1; c <= 5; c++)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"spectral_http_requests_total{{code=\"{c}xx\"}} {Interlocked.Read(ref _requestsByClass[c])}");
        }
        Counter(sb, "spectral_events_appended_total", "Task events committed, as seen on this node's change feed.", EventsAppended.Value);
        Counter(sb, "spectral_broadcasts_total", "Committed changes fanned out to live subscribers.", Broadcasts.Value);
        Counter(sb, "spectral_messages_sent_total", "Live messages written to connections.", MessagesSent.Value);
        Counter(sb, "spectral_gap_repairs_total", "Times a subscriber read changes from storage instead of the live feed (gaps, position-only notifications).", GapRepairs.Value);
        Counter(sb, "spectral_slow_consumers_closed_total", "Connections closed because their queue overflowed.", SlowConsumersClosed.Value);
        Counter(sb, "spectral_live_connections_refused_total", "Live connections refused with 503 because a connection cap was reached.", LiveConnectionsRefused.Value);
        sb.AppendLine("# HELP spectral_live_connections Open live connections, by transport.");
        sb.AppendLine("# TYPE spectral_live_connections gauge");
        sb.AppendLine(CultureInfo.InvariantCulture, $"spectral_live_connections{{transport=\"websocket\"}} {Interlocked.Read(ref _websockets)}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"spectral_live_connections{{transport=\"sse\"}} {Interlocked.Read(ref _sse)}");
        sb.AppendLine("# HELP spectral_claims_waiting Long-poll claims waiting for work.");
        sb.AppendLine("# TYPE spectral_claims_waiting gauge");
        sb.AppendLine(CultureInfo.InvariantCulture, $"spectral_claims_waiting {ClaimsWaiting}");
        sb.AppendLine("# HELP spectral_live_topics Tasks with at least one live subscriber on this node.");
        sb.AppendLine("# TYPE spectral_live_topics gauge");
        sb.AppendLine(CultureInfo.InvariantCulture, $"spectral_live_topics {topics}");
        sb.AppendLine("# HELP process_resident_memory_bytes Resident set size of the server process.");
        sb.AppendLine("# TYPE process_resident_memory_bytes gauge");
        sb.AppendLine(CultureInfo.InvariantCulture, $"process_resident_memory_bytes {Environment.WorkingSet}");
        sb.AppendLine("# HELP dotnet_gc_heap_bytes Bytes in the managed heap, live and not yet collected.");
        sb.AppendLine("# TYPE dotnet_gc_heap_bytes gauge");
        sb.AppendLine(CultureInfo.InvariantCulture, $"dotnet_gc_heap_bytes {GC.GetTotalMemory(forceFullCollection: false)}");
        sb.AppendLine("# HELP spectral_fanout_lag_milliseconds Time from commit to the message being written to a connection.");
        sb.AppendLine("# TYPE spectral_fanout_lag_milliseconds histogram");
        long cumulative = 0;
        for (var i = 0; i < LagBuckets.Length; i++)
        {
            cumulative += Interlocked.Read(ref _lagCounts[i]);
            sb.AppendLine(CultureInfo.InvariantCulture, $"spectral_fanout_lag_milliseconds_bucket{{le=\"{LagBuckets[i]}\"}} {cumulative}");
        }
        cumulative += Interlocked.Read(ref _lagCounts[^1]);
        sb.AppendLine(CultureInfo.InvariantCulture, $"spectral_fanout_lag_milliseconds_bucket{{le=\"+Inf\"}} {cumulative}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"spectral_fanout_lag_milliseconds_sum {Interlocked.Read(ref _lagSumMicros) / 1000.0}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"spectral_fanout_lag_milliseconds_count {cumulative}");
        return sb.ToString();
    }

    private static void Counter(StringBuilder sb, string name, string help, long value)
    {
        sb.AppendLine(CultureInfo.InvariantCulture, $"# HELP {name} {help}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"# TYPE {name} counter");
        sb.AppendLine(CultureInfo.InvariantCulture, $"{name} {value}");
    }

    public void Dispose() => _meter.Dispose();
}

/// <summary>A lock-free counter.</summary>
public sealed class AtomicCounter
{
    private long _value;
    public long Value => Interlocked.Read(ref _value);
    public void Add(long n) => Interlocked.Add(ref _value, n);
}
