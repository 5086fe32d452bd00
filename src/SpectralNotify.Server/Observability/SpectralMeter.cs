using System.Diagnostics.Metrics;

namespace SpectralNotify.Server.Observability;

/// <summary>
/// The <see cref="SpectralMetrics"/> values as a System.Diagnostics.Metrics <see cref="Meter"/> named
/// <c>SpectralNotify</c>, for an app that exports with OpenTelemetry (<c>AddMeter("SpectralNotify")</c>).
/// </summary>
/// <remarks>
/// The instruments are observable and read the same values <c>/metrics</c> serializes, so nothing is
/// counted twice and nothing is computed unless a listener collects. Their names are the Prometheus
/// names without <c>_total</c> (an OpenTelemetry Prometheus exporter adds it back). Only the fan-out
/// lag is recorded here as well, because a histogram cannot be observed.
/// </remarks>
internal sealed class SpectralMeter : IDisposable
{
    public const string Name = "SpectralNotify";
    private readonly Meter _meter = new(Name);
    private readonly Histogram<double> _fanoutLag;

    public SpectralMeter(SpectralMetrics m)
    {
        _meter.CreateObservableCounter("spectral_http_requests",
            () => m.RequestsByClass.Select(r => new Measurement<long>(r.Count, new KeyValuePair<string, object?>("code", r.Code))),
            description: "HTTP requests answered, by status class.");
        Counter("spectral_events_appended", m.EventsAppended, "Task events committed, as seen on this node's change feed.");
        Counter("spectral_broadcasts", m.Broadcasts, "Committed changes fanned out to live subscribers.");
        Counter("spectral_messages_sent", m.MessagesSent, "Live messages written to connections.");
        Counter("spectral_gap_repairs", m.GapRepairs, "Times a subscriber read changes from storage instead of the live feed.");
        Counter("spectral_slow_consumers_closed", m.SlowConsumersClosed, "Connections closed because their queue overflowed.");
        Counter("spectral_live_connections_refused", m.LiveConnectionsRefused, "Live connections refused because a connection cap was reached.");
        _meter.CreateObservableUpDownCounter("spectral_live_connections", () => new[]
        {
            new Measurement<long>(m.LiveWebSockets, new KeyValuePair<string, object?>("transport", "websocket")),
            new Measurement<long>(m.LiveSse, new KeyValuePair<string, object?>("transport", "sse")),
        }, description: "Open live connections, by transport.");
        _meter.CreateObservableUpDownCounter("spectral_claims_waiting", () => m.ClaimsWaiting, description: "Long-poll claims waiting for work.");
        _fanoutLag = _meter.CreateHistogram<double>("spectral_fanout_lag", unit: "ms",
            description: "Time from commit to the message being written to a connection.");
    }

    public void RecordFanoutLag(double ms) => _fanoutLag.Record(ms);

    private void Counter(string name, MetricCounter counter, string description) =>
        _meter.CreateObservableCounter(name, () => counter.Value, description: description);

    public void Dispose() => _meter.Dispose();
}
