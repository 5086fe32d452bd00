using System.Diagnostics;
using System.Text.Json.Nodes;

namespace SpectralNotify.Bench;

internal sealed record MuxSettings(
    Uri Url, string Key, int Subscriptions, double Rate, double Duration, int Batch, bool Subscribe,
    int? ServerPid, int? DbPid, double Drain, double Settle, int WarmupTicks, int HttpConnections, string? Pg)
{
    public static MuxSettings From(Options o)
    {
        var s = new MuxSettings(
            o.Url(), o.String("key"), o.Int("subscriptions", 1000), o.Double("rate", 20, 0.1), o.Double("duration", 10, 0.1),
            o.Int("batch", 250), !o.Has("no-subscribe"),
            o.Has("server-pid") ? o.Int("server-pid", 0) : null, o.Has("db-pid") ? o.Int("db-pid", 0) : null,
            o.Double("drain", 10), o.Double("settle", 2), o.Int("warmup-ticks", 5, 0), o.Int("http-connections", 64), o.OptionalString("pg"));
        o.EnsureAllUsed();
        return s;
    }
}

/// <summary>
/// One client, one protocol-v2 connection, N <c>task:</c> subscriptions; every task gets R
/// durable changes per second through <c>POST /api/v1/tasks/batch</c> (<see cref="BatchWriter"/>).
/// Measures delivery latency (server commit timestamp → receive, and POST sent → receive), loss,
/// duplicates and order per subscription, and the server's RSS. With <c>--no-subscribe</c> it
/// offers the same writes with nobody listening, to separate the write path from delivery.
/// </summary>
internal static class MuxCommand
{
    private const string MetricLag = "spectral_fanout_lag_milliseconds";

    public static async Task<int> RunAsync(MuxSettings s, CancellationToken ct)
    {
        using var client = Http.Create(s.Url, s.Key, s.HttpConnections);
        var probe = new ServerProbe(s.ServerPid, client);
        var run = Http.RunId();
        var ticks = (int)Math.Round(s.Rate * s.Duration);
        var ids = Enumerable.Range(0, s.Subscriptions).Select(i => Fmt.S($"mux-{run}-{i}")).ToArray();
        var writer = new BatchWriter(client, ids, s.Batch);
        var offered = s.Subscriptions * s.Rate;
        Console.WriteLine(Fmt.S($"mux: {s.Subscriptions} tasks{(s.Subscribe ? " subscribed on ONE /api/v1/live connection" : ", no subscriber")}, {s.Rate} changes/s each for {s.Duration} s ({offered:F0} changes/s offered, {writer.Lanes.Length} batches of <= {s.Batch} per tick), url {s.Url}, run {run}"));

        var createWatch = Stopwatch.StartNew();
        await writer.CreateAllAsync("bench mux", 4, ct);
        Console.WriteLine(Fmt.S($"  created {ids.Length} tasks in {createWatch.Elapsed.TotalSeconds:F2} s"));
        await Task.Delay(TimeSpan.FromSeconds(s.Settle), ct);
        var rssBefore = await probe.RssMedianKiBAsync(5, TimeSpan.FromMilliseconds(200), ct);

        using var connection = new MuxConnection(s.Subscriptions, ticks);
        double subscribeSeconds = 0;
        int subscribed = 0, maxSubscriptions = 0;
        long? rssSubscribed = null;
        if (s.Subscribe)
        {
            var subscribeWatch = Stopwatch.StartNew();
            maxSubscriptions = await connection.ConnectAsync(WsUri(s.Url), s.Key, ct);
            if (maxSubscriptions < s.Subscriptions)
            {
                Console.WriteLine(Fmt.S($"  WARNING: the server allows {maxSubscriptions} subscriptions per connection (Spectral:LiveMaxSubscriptions); {s.Subscriptions} asked"));
            }
            await connection.SubscribeAllAsync(ids, TimeSpan.FromSeconds(30), ct);
            subscribeSeconds = subscribeWatch.Elapsed.TotalSeconds;
            subscribed = connection.Streams.Count(x => x.SubscribedSeq >= 0);
            Console.WriteLine(Fmt.S($"  subscribed {subscribed}/{s.Subscriptions} in {subscribeSeconds:F2} s (connect + welcome + all answers)"));
            foreach (var refusal in connection.Streams.Where(x => x.Error is not null).GroupBy(x => x.Error).Take(5))
            {
                Console.WriteLine(Fmt.S($"  subscribe errors x{refusal.Count()}: {refusal.Key}"));
            }
            await Task.Delay(TimeSpan.FromSeconds(s.Settle), ct);
            rssSubscribed = await probe.RssMedianKiBAsync(5, TimeSpan.FromMilliseconds(200), ct);
            Console.WriteLine(Fmt.S($"  server RSS {rssBefore / 1024.0:F1} MiB -> {rssSubscribed / 1024.0:F1} MiB with {subscribed} idle subscriptions"));
        }

        // Warm-up ticks (negative indexes; bench/run.sh sends MUX_WARMUP seconds of them) so JIT and pools are not part of the measurement.
        if (s.WarmupTicks > 0)
        {
            var warm = await writer.RunAsync(s.Rate, s.WarmupTicks, -s.WarmupTicks, ct);
            var warmWatch = Stopwatch.StartNew();
            while (s.Subscribe && connection.WarmupReceived < warm.EventsOk * subscribed / s.Subscriptions && warmWatch.Elapsed.TotalSeconds < 10 && !connection.Loop.IsCompleted)
            {
                await Task.Delay(50, ct);
            }
            Console.WriteLine(Fmt.S($"  warmup: {warm.EventsOk} changes in {warm.Seconds:F2} s, {connection.WarmupReceived} delivered"));
        }

        // Measure.
        var resources = await ResourceWindow.StartAsync(probe, s.Pg, ct);
        var metricsBefore = await probe.MetricsAsync(ct);
        var cpuWindow = CpuWindow.Start(probe, s.DbPid);
        var rssPeak = new RssPeak(probe, TimeSpan.FromMilliseconds(250));
        var send = await writer.RunAsync(s.Rate, ticks, 0, ct);
        var achieved = send.EventsOk / send.Seconds;
        Console.WriteLine(Fmt.S($"  wrote {send.EventsOk}/{(long)ticks * s.Subscriptions} changes in {send.Seconds:F2} s: {achieved:F0}/s achieved of {offered:F0}/s offered; batch POST {send.PostLatency.Describe()}"));
        foreach (var (error, count) in send.Errors)
        {
            Console.WriteLine(Fmt.S($"  batch POST errors x{count}: {error}"));
        }
        var expectedPerStream = ExpectedPerStream(send.Ok, writer.Lanes, s.Batch);
        var expected = s.Subscribe ? connection.Streams.Select((x, i) => x.SubscribedSeq >= 0 ? expectedPerStream[i] : 0).Sum() : 0;
        var drainWatch = Stopwatch.StartNew();
        while (s.Subscribe && drainWatch.Elapsed.TotalSeconds < s.Drain && connection.Received < expected && !connection.Loop.IsCompleted)
        {
            await Task.Delay(20, ct);
        }
        var drainSeconds = s.Subscribe ? drainWatch.Elapsed.TotalSeconds : 0;
        var cpu = cpuWindow.Stop(send.Seconds + drainSeconds);
        await rssPeak.DisposeAsync();
        var metricsAfter = await probe.MetricsAsync(ct);
        var rssAfter = probe.RssKiB();
        var resourcesJson = await resources.StopAsync(send.EventsOk, ct, send.Seconds + drainSeconds);
        var endedEarly = s.Subscribe && connection.Loop.IsCompleted ? connection.EndReason : null;
        if (s.Subscribe)
        {
            await connection.CloseAsync();
        }

        var tally = MuxTally.From(connection.Streams, send.Ok, s.Batch, s.Rate, s.Duration);
        var lagP50 = ServerProbe.HistogramPercentile(metricsBefore, metricsAfter, MetricLag, 0.50);
        var lagP99 = ServerProbe.HistogramPercentile(metricsBefore, metricsAfter, MetricLag, 0.99);
        var delta = (string name) => ServerProbe.Get(metricsAfter, name) - ServerProbe.Get(metricsBefore, name);
        if (s.Subscribe)
        {
            tally.Print(expected, drainSeconds);
            Console.WriteLine(Fmt.S($"  messages received {connection.Messages} ({connection.BytesReceived / Math.Max(1, connection.Messages)} bytes on average), other messages {connection.OtherMessages}, unparsed {connection.Unparsed}"));
            Console.WriteLine(Fmt.S($"  server: commit -> queued to the connection p50 <= {lagP50} ms, p99 <= {lagP99} ms; messages sent {delta("spectral_messages_sent_total")}; gap repairs {delta("spectral_gap_repairs_total")}; slow consumers closed {delta("spectral_slow_consumers_closed_total")}"));
        }
        Console.WriteLine($"  CPU during send+drain: {cpu.Describe()}");
        Console.WriteLine(Fmt.S($"  server RSS: before {rssBefore / 1024.0:F1} MiB, {(rssSubscribed is { } rs ? Fmt.S($"subscribed {rs / 1024.0:F1} MiB, ") : "")}peak during traffic {rssPeak.PeakKiB / 1024.0:F1} MiB, after {rssAfter / 1024.0:F1} MiB; 5xx {delta("spectral_http_requests_total{code=\"5xx\"}")}"));
        if (endedEarly is not null)
        {
            Console.WriteLine($"  WARNING: the connection ended before the drain finished: {endedEarly}");
        }

        var json = new JsonObject
        {
            ["scenario"] = "mux",
            ["run"] = run,
            ["url"] = s.Url.ToString(),
            ["subscriptions"] = s.Subscriptions,
            ["subscribe"] = s.Subscribe,
            ["rate_per_task"] = s.Rate,
            ["duration_s"] = s.Duration,
            ["batch"] = s.Batch,
            ["machine"] = IngestCommand.Machine(),
            ["offered_per_s"] = offered,
            ["achieved_per_s"] = Fmt.Round(achieved, 1),
            ["events_ok"] = send.EventsOk,
            ["send_seconds"] = Fmt.Round(send.Seconds),
            ["post_latency"] = send.PostLatency.ToJson(),
            ["post_errors"] = new JsonObject(send.Errors.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)e.Value))),
            ["max_subscriptions"] = maxSubscriptions,
            ["subscribed"] = subscribed,
            ["subscribe_seconds"] = Fmt.Round(subscribeSeconds),
            ["expected"] = expected,
            ["drain_seconds"] = Fmt.Round(drainSeconds),
            ["ended_early"] = endedEarly,
            ["messages_received"] = connection.Messages,
            ["bytes_received"] = connection.BytesReceived,
            ["rss_before_kib"] = rssBefore,
            ["rss_subscribed_kib"] = rssSubscribed,
            ["rss_peak_kib"] = rssPeak.PeakKiB,
            ["rss_after_kib"] = rssAfter,
            ["server_lag_p50_le_ms"] = ServerProbe.BucketJson(lagP50),
            ["server_lag_p99_le_ms"] = ServerProbe.BucketJson(lagP99),
            ["server_gap_repairs"] = delta("spectral_gap_repairs_total"),
            ["server_slow_consumers_closed"] = delta("spectral_slow_consumers_closed_total"),
            ["server_metrics_delta"] = ServerProbe.Delta(metricsBefore, metricsAfter),
            ["resources"] = resourcesJson,
        };
        tally.AddTo(json);
        cpu.AddTo(json);
        Console.WriteLine(json.ToJsonString(Fmt.JsonOut));
        var clean = tally.Missing == 0 && tally.SeqSkipped == 0 && tally.SeqDuplicates == 0 && tally.DuplicateTicks == 0;
        return !s.Subscribe ? (send.Errors.Count == 0 ? 0 : 1) : subscribed == s.Subscriptions && clean ? 0 : 1;
    }

    /// <summary>Changes each subscription should receive: its lane's successful batches.</summary>
    private static long[] ExpectedPerStream(bool[,] ok, string[][] lanes, int batch)
    {
        var perLane = new long[lanes.Length];
        for (var t = 0; t < ok.GetLength(0); t++)
        {
            for (var l = 0; l < lanes.Length; l++)
            {
                perLane[l] += ok[t, l] ? 1 : 0;
            }
        }
        return Enumerable.Range(0, lanes.Sum(l => l.Length)).Select(i => perLane[i / batch]).ToArray();
    }

    private static Uri WsUri(Uri http) =>
        new UriBuilder(http) { Scheme = http.Scheme == "https" ? "wss" : "ws", Path = "/api/v1/live" }.Uri;
}
