using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SpectralNotify.Bench;

/// <param name="Hold">Seconds to keep the subscribers open after the after-traffic reading, for a heap dump or a closer look.</param>
/// <param name="Url2">A second node on the same PostgreSQL: odd-numbered subscribers connect to it and every second event is posted to it.</param>
internal sealed record FanoutSettings(
    Uri Url, string Key, int Subscribers, double Rate, double Duration, int? ServerPid,
    int ConnectConcurrency, double Drain, double Settle, int WarmupSubscribers, int? DbPid, string? Pg, double Hold = 0, Uri? Url2 = null)
{
    public static FanoutSettings From(Options o)
    {
        var s = new FanoutSettings(
            o.Url(), o.String("key"), o.Int("subscribers", 1000), o.Double("rate", 20, 0.1), o.Double("duration", 10, 0.1),
            o.Has("server-pid") ? o.Int("server-pid", 0) : null, o.Int("connect-concurrency", 32),
            o.Double("drain", 10), o.Double("settle", 2), o.Int("warmup-subscribers", 50, 0),
            o.Has("db-pid") ? o.Int("db-pid", 0) : null, o.OptionalString("pg"), o.Double("hold", 0),
            o.OptionalString("url2") is { } u2 ? new Uri(u2) : null);
        o.EnsureAllUsed();
        return s;
    }
}

/// <summary>
/// One task, K WebSocket subscribers, R durable events per second through HTTP. Measures the
/// server's marginal RSS per idle subscriber, delivery latency from the POST being sent to each
/// subscriber receiving the message, and loss (missing indexes, seq gaps, duplicates).
/// </summary>
internal static class FanoutCommand
{
    private const string MetricConnections = "spectral_live_connections{transport=\"websocket\"}";
    private const string MetricLag = "spectral_fanout_lag_milliseconds";

    public static async Task<int> RunAsync(FanoutSettings s, CancellationToken ct)
    {
        using var client = Http.Create(s.Url, s.Key, 64);
        using var client2 = s.Url2 is null ? null : Http.Create(s.Url2, s.Key, 64);
        HttpClient[] nodes = client2 is null ? [client] : [client, client2];
        var probe = new ServerProbe(s.ServerPid, client);
        ServerProbe[] probes = client2 is null ? [probe] : [probe, new ServerProbe(null, client2)];
        var urls = client2 is null ? new[] { s.Url } : [s.Url, s.Url2!];
        var run = Http.RunId();
        var planned = (int)Math.Round(s.Rate * s.Duration);
        Console.WriteLine(Fmt.S($"fanout: {s.Subscribers} subscribers, {s.Rate} events/s for {s.Duration} s ({planned} events), url {string.Join(" + ", urls.Select(u => u.ToString()))}, run {run}"));

        if (s.WarmupSubscribers > 0)
        {
            for (var n = 0; n < nodes.Length; n++)
            {
                await WarmupAsync(s, nodes[n], urls[n], run + n, ct);
            }
        }

        var taskId = $"fan-{run}";
        await Http.CreateTaskAsync(client, taskId, ct);
        await Task.Delay(TimeSpan.FromSeconds(s.Settle), ct);
        var baseConnections = await ConnectionsAsync(probes, ct);
        var rssBefore = await probe.RssMedianKiBAsync(5, TimeSpan.FromMilliseconds(200), ct);

        // Subscribe. The task's creation is seq 1, so the first live message is seq 2.
        var subscribers = Enumerable.Range(0, s.Subscribers).Select(i => new Subscriber(i, planned, expectedFirstSeq: 2)).ToArray();
        var connectWatch = Stopwatch.StartNew();
        await ConnectAllAsync(subscribers, i => WsUri(urls[i % urls.Length], taskId), s.Key, s.ConnectConcurrency, ct);
        var connectSeconds = connectWatch.Elapsed.TotalSeconds;
        var connected = subscribers.Count(x => x.Socket is not null);
        var connectLatency = LatencySummary.From(subscribers.Where(x => x.Socket is not null).Select(x => x.ConnectMs).ToArray());
        Console.WriteLine(Fmt.S($"  connected {connected}/{s.Subscribers} in {connectSeconds:F2} s; connect {connectLatency.Describe()}"));
        foreach (var failure in subscribers.Where(x => x.ConnectError is not null).GroupBy(x => x.ConnectError).Take(5))
        {
            Console.WriteLine(Fmt.S($"  connect failures x{failure.Count()}: {failure.Key}"));
        }

        // The server registers a subscription (and counts it) right after the upgrade; wait until it
        // counts them all, so no early event is missed for a reason that is the harness's, not the server's.
        var registered = await WaitForConnectionsAsync(probes, baseConnections + connected, TimeSpan.FromSeconds(30), ct);
        if (registered < baseConnections + connected)
        {
            Console.WriteLine(Fmt.S($"  WARNING: server reports {registered - baseConnections} of {connected} subscriptions after 30 s"));
        }
        await Task.Delay(TimeSpan.FromSeconds(s.Settle), ct);
        var rssConnected = await probe.RssMedianKiBAsync(5, TimeSpan.FromMilliseconds(200), ct);
        // The RSS is the first node's: per connection it counts the subscribers connected to it.
        var connectedHere = subscribers.Where((x, i) => i % urls.Length == 0).Count(x => x.Socket is not null);
        double? perConnection = rssBefore is { } b && rssConnected is { } a && connectedHere > 0 ? (a - b) * 1024.0 / connectedHere : null;
        if (perConnection is { } pc)
        {
            Console.WriteLine(Fmt.S($"  server RSS {rssBefore / 1024.0:F1} MiB -> {rssConnected / 1024.0:F1} MiB with {connected} idle subscribers: {pc / 1024:F1} KiB per connection"));
        }

        // Send.
        var resources = await ResourceWindow.StartAsync(probe, s.Pg, ct);
        var metricsBefore = await probe.MetricsAsync(ct);
        var cpuWindow = CpuWindow.Start(probe, s.DbPid);
        var send = await SendAsync(nodes, taskId, s.Rate, planned, ct);
        var okSends = send.Ok.Count(x => x);
        Console.WriteLine(Fmt.S($"  sent {okSends}/{planned} events in {send.Seconds:F2} s ({okSends / send.Seconds:F1}/s); POST {send.Latency.Describe()}"));
        foreach (var (error, count) in send.Errors)
        {
            Console.WriteLine(Fmt.S($"  POST errors x{count}: {error}"));
        }

        // Drain: wait until every subscriber has every event, or the drain time is up.
        var drainWatch = Stopwatch.StartNew();
        var live = subscribers.Where(x => x.Socket is not null).ToArray();
        while (drainWatch.Elapsed.TotalSeconds < s.Drain && live.Any(x => Interlocked.Read(ref x.Received) < okSends && !x.Loop.IsCompleted))
        {
            await Task.Delay(50, ct);
        }
        var drainSeconds = drainWatch.Elapsed.TotalSeconds;
        var cpu = cpuWindow.Stop(send.Seconds + drainSeconds);
        var metricsAfter = await probe.MetricsAsync(ct);
        var rssAfter = probe.RssKiB();
        var resourcesJson = await resources.StopAsync(okSends, ct, send.Seconds + drainSeconds);
        // Memory per subscriber after traffic has flowed: the median like the idle reading, subscribers still open.
        var rssAfterTraffic = await probe.RssMedianKiBAsync(5, TimeSpan.FromMilliseconds(200), ct);
        double? perConnectionAfter = rssBefore is { } b0 && rssAfterTraffic is { } a1 && connectedHere > 0 ? (a1 - b0) * 1024.0 / connectedHere : null;
        var endedEarly = live.Where(x => x.Loop.IsCompleted).ToList();
        if (s.Hold > 0)
        {
            Console.WriteLine(Fmt.S($"  holding {live.Length} subscribers open for {s.Hold} s"));
            await Task.Delay(TimeSpan.FromSeconds(s.Hold), ct);
        }

        await Task.WhenAll(live.Chunk(100).Select(async chunk =>
        {
            foreach (var sub in chunk)
            {
                await sub.CloseAsync();
            }
        }));

        // Tally.
        long expected = (long)okSends * connected, received = 0, missing = 0, unexpected = 0;
        var samples = new List<double>((int)Math.Min(expected, int.MaxValue));
        var perSecond = new List<double>[(int)Math.Ceiling(s.Duration)];
        for (var i = 0; i < perSecond.Length; i++)
        {
            perSecond[i] = [];
        }
        var subsWithLoss = 0;
        foreach (var sub in live)
        {
            var lost = false;
            for (var i = 0; i < planned; i++)
            {
                var ms = sub.Latency[i];
                if (double.IsNaN(ms))
                {
                    if (send.Ok[i])
                    {
                        missing++;
                        lost = true;
                    }
                    continue;
                }
                if (!send.Ok[i])
                {
                    unexpected++;
                }
                received++;
                samples.Add(ms);
                perSecond[Math.Min((int)(i / s.Rate), perSecond.Length - 1)].Add(ms);
            }
            subsWithLoss += lost ? 1 : 0;
        }
        var latency = LatencySummary.From(samples.ToArray());
        var seqMissing = live.Sum(x => x.Seq.Skipped);
        var seqJumps = live.Sum(x => x.Seq.Jumps);
        var seqDuplicates = live.Sum(x => x.Seq.Duplicates);
        var indexDuplicates = live.Sum(x => x.DuplicateIndexes);
        var other = live.Sum(x => x.OtherMessages);
        var unparsed = live.Sum(x => x.Unparsed);
        var lagP50 = ServerProbe.HistogramPercentile(metricsBefore, metricsAfter, MetricLag, 0.50);
        var lagP99 = ServerProbe.HistogramPercentile(metricsBefore, metricsAfter, MetricLag, 0.99);

        Console.WriteLine(Fmt.S($"  delivered {received}/{expected} (missing {missing}, unexpected {unexpected}) after {drainSeconds:F2} s drain; subscribers with loss: {subsWithLoss}"));
        Console.WriteLine(Fmt.S($"  seq: {seqMissing} skipped in {seqJumps} jumps, {seqDuplicates} duplicate/out-of-order; duplicate events {indexDuplicates}; other messages {other}; unparsed {unparsed}"));
        Console.WriteLine(Fmt.S($"  delivery latency (POST sent -> WS received): {latency.Describe()}"));
        Console.WriteLine(Fmt.S($"  server fan-out lag histogram (commit -> written): p50 <= {lagP50} ms, p99 <= {lagP99} ms"));
        var delta = (string name) => ServerProbe.Get(metricsAfter, name) - ServerProbe.Get(metricsBefore, name);
        var gapRepairs = delta("spectral_gap_repairs_total");
        var slowClosed = delta("spectral_slow_consumers_closed_total");
        var sentByServer = delta("spectral_messages_sent_total");
        var lagCount = delta(MetricLag + "_count");
        Console.WriteLine(Fmt.S($"  server counters: messages sent {sentByServer}, of which live {lagCount} (the rest replayed from storage); gap repairs {gapRepairs}; slow consumers closed {slowClosed}; 5xx {delta("spectral_http_requests_total{code=\"5xx\"}")}"));
        Console.WriteLine($"  CPU during send+drain: {cpu.Describe()}");
        if (rssAfter is not null)
        {
            Console.WriteLine(Fmt.S($"  server RSS after traffic: {rssAfter / 1024.0:F1} MiB, threads {probe.Threads()}"));
        }
        foreach (var group in endedEarly.GroupBy(x => x.EndReason).Take(5))
        {
            Console.WriteLine(Fmt.S($"  WARNING: {group.Count()} subscribers ended before the drain finished: {group.Key}"));
        }
        var timeline = new JsonArray();
        Console.WriteLine("  per send-second: second  n  p50  p99  max (ms)");
        for (var i = 0; i < perSecond.Length; i++)
        {
            var sec = LatencySummary.From(perSecond[i].ToArray());
            Console.WriteLine(Fmt.S($"    {i,3} {sec.Count,7} {sec.P50,8:F2} {sec.P99,8:F2} {sec.Max,8:F2}"));
            timeline.Add(new JsonObject { ["second"] = i, ["n"] = sec.Count, ["p50_ms"] = Fmt.Round(sec.P50), ["p99_ms"] = Fmt.Round(sec.P99), ["max_ms"] = Fmt.Round(sec.Max) });
        }

        var json = new JsonObject
        {
            ["scenario"] = "fanout",
            ["run"] = run,
            ["url"] = s.Url.ToString(),
            ["nodes"] = urls.Length,
            ["subscribers"] = s.Subscribers,
            ["rate_per_s"] = s.Rate,
            ["duration_s"] = s.Duration,
            ["machine"] = IngestCommand.Machine(),
            ["connected"] = connected,
            ["connect_seconds"] = Fmt.Round(connectSeconds),
            ["connect_latency"] = connectLatency.ToJson(),
            ["server_registered"] = registered - baseConnections,
            ["rss_before_kib"] = rssBefore,
            ["rss_connected_kib"] = rssConnected,
            ["rss_after_traffic_kib"] = rssAfter,
            ["rss_per_connection_bytes"] = perConnection is { } p ? Math.Round(p) : null,
            ["rss_after_traffic_median_kib"] = rssAfterTraffic,
            ["rss_per_connection_after_traffic_bytes"] = perConnectionAfter is { } pa ? Math.Round(pa) : null,
            ["planned"] = planned,
            ["sent_ok"] = okSends,
            ["send_seconds"] = Fmt.Round(send.Seconds),
            ["send_errors"] = new JsonObject(send.Errors.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)e.Value))),
            ["post_latency"] = send.Latency.ToJson(),
            ["expected"] = expected,
            ["received"] = received,
            ["missing"] = missing,
            ["unexpected"] = unexpected,
            ["subscribers_with_loss"] = subsWithLoss,
            ["seq_skipped"] = seqMissing,
            ["seq_jumps"] = seqJumps,
            ["seq_duplicates"] = seqDuplicates,
            ["event_duplicates"] = indexDuplicates,
            ["other_messages"] = other,
            ["ended_early"] = endedEarly.Count,
            ["drain_seconds"] = Fmt.Round(drainSeconds),
            ["latency"] = latency.ToJson(),
            ["server_lag_p50_le_ms"] = ServerProbe.BucketJson(lagP50),
            ["server_lag_p99_le_ms"] = ServerProbe.BucketJson(lagP99),
            ["server_gap_repairs"] = gapRepairs,
            ["server_slow_consumers_closed"] = slowClosed,
            ["server_messages_sent"] = sentByServer,
            ["server_messages_live"] = lagCount,
            ["per_second"] = timeline,
            ["server_metrics_delta"] = ServerProbe.Delta(metricsBefore, metricsAfter),
            ["resources"] = resourcesJson,
        };
        cpu.AddTo(json);
        Console.WriteLine(json.ToJsonString(Fmt.JsonOut));
        return connected == s.Subscribers && missing == 0 && seqMissing == 0 && seqDuplicates == 0 && indexDuplicates == 0 ? 0 : 1;
    }

    private static Uri WsUri(Uri http, string taskId)
    {
        var b = new UriBuilder(http) { Scheme = http.Scheme == "https" ? "wss" : "ws", Path = $"/ws/task/{Uri.EscapeDataString(taskId)}" };
        return b.Uri;
    }

    private static async Task ConnectAllAsync(Subscriber[] subscribers, Func<int, Uri> uri, string key, int concurrency, CancellationToken ct)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Math.Min(concurrency, subscribers.Length)).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < subscribers.Length)
            {
                await subscribers[i].ConnectAsync(uri(i), key, ct);
            }
        }));
    }

    /// <summary>Live WebSocket connections counted by every node.</summary>
    private static async Task<double> ConnectionsAsync(ServerProbe[] probes, CancellationToken ct)
    {
        var sum = 0.0;
        foreach (var p in probes)
        {
            sum += ServerProbe.Get(await p.MetricsAsync(ct), MetricConnections);
        }
        return sum;
    }

    private static async Task<double> WaitForConnectionsAsync(ServerProbe[] probes, double target, TimeSpan timeout, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        double seen;
        while ((seen = await ConnectionsAsync(probes, ct)) < target && watch.Elapsed < timeout)
        {
            await Task.Delay(100, ct);
        }
        return seen;
    }

    /// <summary>Exercises connect, fan-out and close once so one-time costs (JIT, pools) are not counted as per-connection memory.</summary>
    private static async Task WarmupAsync(FanoutSettings s, HttpClient client, Uri url, string run, CancellationToken ct)
    {
        var taskId = $"fanwarm-{run}";
        await Http.CreateTaskAsync(client, taskId, ct);
        var subs = Enumerable.Range(0, s.WarmupSubscribers).Select(i => new Subscriber(i, 50, 2)).ToArray();
        await ConnectAllAsync(subs, _ => WsUri(url, taskId), s.Key, s.ConnectConcurrency, ct);
        await Task.Delay(500, ct);
        await SendAsync([client], taskId, 100, 50, ct);
        await Task.Delay(500, ct);
        foreach (var sub in subs)
        {
            await sub.CloseAsync();
        }
        Console.WriteLine(Fmt.S($"  warmup: {subs.Count(x => x.Socket is not null)} subscribers, 50 events, {subs.Sum(x => x.Received)} deliveries"));
    }

    private sealed record SendResult(bool[] Ok, double Seconds, LatencySummary Latency, SortedDictionary<string, long> Errors);

    /// <summary>
    /// Open loop: event i is sent at start + i/rate whatever earlier requests are doing, so a slow
    /// response delays no later send (no coordinated omission). Its message carries its send time.
    /// With two nodes, event i goes to node i mod 2, so one task's writes come through both.
    /// </summary>
    private static async Task<SendResult> SendAsync(HttpClient[] nodes, string taskId, double rate, int count, CancellationToken ct)
    {
        var path = $"/api/v1/tasks/{Uri.EscapeDataString(taskId)}/events";
        var ok = new bool[count];
        var postMs = new double[count];
        var errors = new string?[count];
        var seconds = await OpenLoop.RunAsync(count, rate, async index =>
        {
            var sent = Stopwatch.GetTimestamp();
            var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
            {
                ["type"] = "log",
                ["message"] = Marker.Format(index, sent),
            });
            errors[index] = await Http.SendAsync(nodes[index % nodes.Length], path, body, HttpStatusCode.Created, ct);
            ok[index] = errors[index] is null;
            postMs[index] = Fmt.Ms(Stopwatch.GetTimestamp() - sent);
        }, ct);
        var tally = OpenLoop.Tally(errors);
        return new SendResult(ok, seconds, LatencySummary.From(postMs.Where((_, i) => ok[i]).ToArray()), tally);
    }
}
