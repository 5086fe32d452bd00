using System.Diagnostics.Metrics;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using SpectralNotify.Server.Observability;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Api;

/// <summary>
/// The /metrics names and types are a contract with the alerts of whoever scrapes the server: a
/// library upgrade that renames a series, changes its type or adds its own must fail here.
/// </summary>
public sealed partial class MetricsContractTests
{
    /// <summary>Every family /metrics serves, with its TYPE; docs/operations.md lists the same.</summary>
    private static readonly Dictionary<string, string> Documented = new(StringComparer.Ordinal)
    {
        ["spectral_http_requests_total"] = "counter",
        ["spectral_events_appended_total"] = "counter",
        ["spectral_broadcasts_total"] = "counter",
        ["spectral_messages_sent_total"] = "counter",
        ["spectral_gap_repairs_total"] = "counter",
        ["spectral_slow_consumers_closed_total"] = "counter",
        ["spectral_live_connections_refused_total"] = "counter",
        ["spectral_live_connections"] = "gauge",
        ["spectral_claims_waiting"] = "gauge",
        ["spectral_live_topics"] = "gauge",
        ["spectral_fanout_lag_milliseconds"] = "histogram",
        ["spectral_component_up"] = "gauge",
        ["spectral_component_last_success_timestamp_seconds"] = "gauge",
        ["spectral_component_failures_total"] = "counter",
        ["spectral_sqlite_commits_total"] = "counter",
        ["spectral_sqlite_writes_total"] = "counter",
        ["process_resident_memory_bytes"] = "gauge",
        ["dotnet_gc_heap_bytes"] = "gauge",
    };

    private static readonly string[] SqliteOnly = ["spectral_sqlite_commits_total", "spectral_sqlite_writes_total"];

    [GeneratedRegex(@"^# TYPE (\S+) (\S+)$", RegexOptions.Multiline)]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"^\| `([a-z_]+)` \| (counter|gauge|histogram) \|", RegexOptions.Multiline)]
    private static partial Regex DocsRow();

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Every_documented_metric_is_served_with_its_type_and_nothing_else(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var text = await host.Client(null).GetStringAsync("/metrics", TestContext.Current.CancellationToken);

        var served = TypeLine().Matches(text).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);
        var expected = Documented.Where(d => engine == Engine.Sqlite || !SqliteOnly.Contains(d.Key))
            .ToDictionary(d => d.Key, d => d.Value, StringComparer.Ordinal);
        Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), served.OrderBy(p => p.Key, StringComparer.Ordinal));

        // The series a dashboard or the bench reads by exact key.
        foreach (var code in new[] { "1xx", "2xx", "3xx", "4xx", "5xx" })
        {
            Assert.Matches($"(?m)^spectral_http_requests_total\\{{code=\"{code}\"\\}} \\d+$", text);
        }
        Assert.Matches("(?m)^spectral_live_connections\\{transport=\"websocket\"\\} 0$", text);
        Assert.Matches("(?m)^spectral_live_connections\\{transport=\"sse\"\\} 0$", text);
        Assert.Matches("(?m)^spectral_claims_waiting 0$", text);
        Assert.Matches("(?m)^process_resident_memory_bytes [1-9]\\d*$", text);
        Assert.Matches("(?m)^dotnet_gc_heap_bytes [1-9]\\d*$", text);
        var buckets = Regex.Matches(text, "(?m)^spectral_fanout_lag_milliseconds_bucket\\{le=\"([^\"]+)\"\\} \\d+$").Select(m => m.Groups[1].Value);
        Assert.Equal(["1", "2", "5", "10", "20", "50", "100", "250", "500", "1000", "5000", "+Inf"], buckets);
        Assert.Matches("(?m)^spectral_fanout_lag_milliseconds_sum 0$", text);
        Assert.Matches("(?m)^spectral_fanout_lag_milliseconds_count 0$", text);
        Assert.Matches("(?m)^spectral_component_up\\{component=\"[a-z-]+\"\\} 1$", text);
    }

    [Fact]
    public async Task Docs_list_exactly_the_metrics_served()
    {
        var docs = await File.ReadAllTextAsync(RepoFiles.Find(Path.Combine("docs", "operations.md")), TestContext.Current.CancellationToken);
        var listed = DocsRow().Matches(docs).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);
        Assert.Equal(Documented.OrderBy(p => p.Key, StringComparer.Ordinal), listed.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_scraper_asking_for_openmetrics_still_gets_prometheus_text()
    {
        await using var host = await TestHost.StartAsync(Engine.Sqlite);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Accept.ParseAdd("application/openmetrics-text;version=1.0.0;q=0.75");
        request.Headers.Accept.ParseAdd("text/plain;version=0.0.4;q=0.5");
        using var r = await host.Client(null).SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal("text/plain", r.Content.Headers.ContentType?.MediaType);
        Assert.Contains(new NameValueHeaderValue("version", "0.0.4"), r.Content.Headers.ContentType!.Parameters);
        var text = await r.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("# TYPE spectral_events_appended_total counter\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("# EOF", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_Metrics_RequireKey_a_scrape_needs_a_read_key()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await TestHost.StartAsync(Engine.Sqlite, new Dictionary<string, string?> { ["Metrics:RequireKey"] = "true" });
        using var anonymous = await host.Client(null).GetAsync("/metrics", ct);
        Assert.Equal(401, (int)anonymous.StatusCode);
        using var read = await host.Client(TestHost.ReadKey).GetAsync("/metrics", ct);
        Assert.Equal(200, (int)read.StatusCode);
        Assert.Contains("# TYPE spectral_http_requests_total counter\n", await read.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_hosts_in_one_process_do_not_see_each_others_values()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var a = await TestHost.StartAsync(Engine.Sqlite);
        await using var b = await TestHost.StartAsync(Engine.Sqlite);
        await a.Client().CreateTaskAsync("only-on-a");
        await using var live = await a.ConnectAsync("/ws/task/only-on-a", ct);

        await Eventually.TrueAsync(async () => await a.Client(null).GetStringAsync("/metrics", ct) is var t
                && t.Contains("spectral_live_connections{transport=\"websocket\"} 1\n", StringComparison.Ordinal)
                && t.Contains("spectral_live_topics 1\n", StringComparison.Ordinal),
            "host A counts its WebSocket and its topic");
        var textA = await a.Client(null).GetStringAsync("/metrics", ct);
        var textB = await b.Client(null).GetStringAsync("/metrics", ct);
        Assert.Contains("spectral_live_connections{transport=\"websocket\"} 0\n", textB, StringComparison.Ordinal);
        Assert.Contains("spectral_live_topics 1\n", textA, StringComparison.Ordinal);
        Assert.Contains("spectral_live_topics 0\n", textB, StringComparison.Ordinal);
        Assert.Matches("(?m)^spectral_events_appended_total [1-9]\\d*$", textA);
        Assert.Contains("spectral_events_appended_total 0\n", textB, StringComparison.Ordinal);
    }

    [Fact]
    public void The_SpectralNotify_meter_publishes_the_same_values_for_OpenTelemetry()
    {
        using var metrics = new SpectralMetrics();
        metrics.GapRepairs.Add(41);
        metrics.GapRepairs.Add(1);
        var seen = new List<long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "SpectralNotify" && instrument.Name == "spectral_gap_repairs")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => seen.Add(value));
        listener.Start();
        listener.RecordObservableInstruments();
        // Other tests' hosts have SpectralNotify meters of their own; this one's value is among them.
        Assert.Contains(42, seen);
    }

    /// <summary>
    /// /metrics serves Prometheus text, which has no exemplars, so none is collected: by default
    /// prometheus-net reads the trace context on every observation, once per message per subscriber
    /// for the fan-out lag.
    /// </summary>
    [Fact]
    public async Task Observations_collect_no_exemplar_from_the_trace_context()
    {
        using var metrics = new SpectralMetrics();
        using var activity = new System.Diagnostics.Activity("request").SetIdFormat(System.Diagnostics.ActivityIdFormat.W3C).Start();
        metrics.RecordFanoutLag(3);
        metrics.MessagesSent.Add(1);

        using var body = new MemoryStream();
        await metrics.Registry.CollectAndExportAsTextAsync(body, Prometheus.ExpositionFormat.OpenMetricsText, TestContext.Current.CancellationToken);
        var text = System.Text.Encoding.UTF8.GetString(body.ToArray());

        Assert.Contains("spectral_fanout_lag_milliseconds_bucket", text, StringComparison.Ordinal);
        Assert.DoesNotContain(activity.TraceId.ToHexString(), text, StringComparison.Ordinal);
    }
}
