using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SpectralNotify.Bench;

/// <param name="Url2">A second node on the same PostgreSQL: jobs are created through both, so both schedulers fire.</param>
/// <param name="Aligned">Every job on the cron schedule "every second" (all due at the same instant) instead of
/// one-second intervals spread over the second in which the jobs were created.</param>
internal sealed record CronSettings(Uri Url, Uri? Url2, string Key, int Jobs, double Duration, double Warmup, bool Aligned, int? ServerPid,
    int? DbPid, string? Pg)
{
    public static CronSettings From(Options o)
    {
        var url2 = o.OptionalString("url2") is { } u ? new Uri(u) : null;
        var s = new CronSettings(o.Url(), url2, o.String("key"), o.Int("jobs", 1000), o.Double("duration", 10, 1), o.Double("warmup", 3, 0),
            o.Has("aligned"), o.Has("server-pid") ? o.Int("server-pid", 0) : null, o.Has("db-pid") ? o.Int("db-pid", 0) : null,
            o.OptionalString("pg"));
        o.EnsureAllUsed();
        return s;
    }
}

/// <summary>
/// Cron punctuality: N jobs that each fire every second (N firings per second), on one node or two.
/// Every firing is a run whose <c>scheduledAt</c> is its due time. Two lags are measured from it:
/// to the run's <c>createdAt</c> (when the scheduler's pass began making it, before its commit), and
/// to the moment an HTTP worker long-polling <c>/api/v1/workers/claim</c> on each node received it
/// (committed, announced and claimable: what a user sees). The target applies to the second. The
/// runs' queue is served only by these claimers, which never complete a run, so every run stays
/// listed. Afterwards: doubled firings (same job, same due time) and missed ones.
/// </summary>
internal static class CronCommand
{
    private const double TargetMs = 50;

    public static async Task<int> RunAsync(CronSettings s, CancellationToken ct)
    {
        using var a = Http.Create(s.Url, s.Key, 16);
        using var b = s.Url2 is null ? null : Http.Create(s.Url2, s.Key, 16);
        var nodes = b is null ? new[] { a } : [a, b];
        var probe = new ServerProbe(s.ServerPid, a);
        var run = Http.RunId();
        var queue = $"bench-cron-{run}";
        var schedule = s.Aligned ? """{"cron":"* * * * * ?"}""" : """{"intervalSeconds":1}""";
        Console.WriteLine(Fmt.S($"cron: {s.Jobs} jobs, schedule {schedule}, {nodes.Length} node(s), {s.Duration} s measured after {s.Warmup} s, run {run}"));

        // Create the jobs through every node in turn (each node's scheduler learns of its own at once).
        var ids = Enumerable.Range(0, s.Jobs).Select(i => Fmt.S($"cron-{run}-{i:D5}")).ToArray();
        var created = Stopwatch.StartNew();
        await ForEachAsync(ids, async (id, i) =>
        {
            var body = Encoding.UTF8.GetBytes(Fmt.S($$"""{"id":"{{id}}","type":"bench-cron","queue":"{{queue}}","schedule":{{schedule}}}"""));
            var error = await Http.SendAsync(nodes[i % nodes.Length], "/api/v1/jobs", body, HttpStatusCode.Created, ct);
            if (error is not null)
            {
                throw new InvalidOperationException($"creating job {id}: {error}");
            }
        });
        Console.WriteLine(Fmt.S($"  created {s.Jobs} jobs in {created.Elapsed.TotalSeconds:F2} s"));

        // Two claimers per node from now on, so the warm-up's runs are claimed too and the window starts level.
        var claimers = new Claimers(nodes, queue, 2, ct);
        // The window: due times from the end of the warm-up for the measured duration.
        await Task.Delay(TimeSpan.FromSeconds(s.Warmup), ct);
        var from = DateTimeOffset.UtcNow;
        var to = from.AddSeconds(s.Duration);
        var resources = await ResourceWindow.StartAsync(probe, s.Pg, ct);
        var cpu = CpuWindow.Start(probe, s.DbPid);
        await Task.Delay(to - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1), ct); // the window's last firings, late ones included
        var cpuUsed = cpu.Stop(s.Duration + 1);
        await claimers.StopAsync();
        // The window ends here: pausing the jobs and reading their runs back below are the bench's own work.
        var totals = await resources.EndAsync(ct, s.Duration + 1, settle: false);
        var fired = new List<(string Job, string Run, DateTimeOffset Due, DateTimeOffset Made)>[ids.Length];
        // Stop the schedules, then read every job's runs.
        await ForEachAsync(ids, async (id, i) =>
        {
            await Http.SendAsync(nodes[i % nodes.Length], $"/api/v1/jobs/{id}/pause", [], HttpStatusCode.OK, ct);
            using var resp = await a.GetAsync($"/api/v1/jobs/{id}/runs?limit=500", ct);
            resp.EnsureSuccessStatusCode();
            using var doc = JsonDocument.Parse(await resp.Content.ReadAsStreamAsync(ct));
            fired[i] = [.. doc.RootElement.GetProperty("data").EnumerateArray().Select(r =>
                (id, r.GetProperty("id").GetString()!, r.GetProperty("scheduledAt").GetDateTimeOffset(), r.GetProperty("createdAt").GetDateTimeOffset()))];
        });
        var firingCount = fired.Sum(f => f.Count(x => x.Due >= from && x.Due < to));
        var resourcesJson = totals.Report(firingCount);

        // Tally the window.
        var lags = new List<double>();
        var claimLags = new List<double>();
        long doubled = 0, missed = 0, unclaimed = 0;
        // Late firings (and never claimed ones) by the second of the window they were due in: misses that
        // cluster in a few seconds point at a stall (a checkpoint, a collection), spread ones at a steady cost.
        var lateBySecond = new int[(int)Math.Ceiling(s.Duration)];
        foreach (var job in fired)
        {
            var inWindow = job.Where(x => x.Due >= from && x.Due < to).OrderBy(x => x.Due).ToList();
            lags.AddRange(inWindow.Select(x => (x.Made - x.Due).TotalMilliseconds));
            foreach (var x in inWindow)
            {
                var second = Math.Min(lateBySecond.Length - 1, (int)(x.Due - from).TotalSeconds);
                if (claimers.Received.TryGetValue(x.Run, out var at))
                {
                    claimLags.Add((at - x.Due).TotalMilliseconds);
                    if ((at - x.Due).TotalMilliseconds > TargetMs)
                    {
                        lateBySecond[second]++;
                    }
                }
                else
                {
                    unclaimed++;
                    lateBySecond[second]++;
                }
            }
            doubled += inWindow.Count - inWindow.Select(x => x.Due).Distinct().Count();
            var dues = inWindow.Select(x => x.Due).Distinct().ToList();
            // Every second of the window should hold one firing of every job: count the seconds it skipped,
            // including before its first and after its last firing in the window.
            var expected = (int)Math.Round(s.Duration);
            missed += Math.Max(0, expected - dues.Count);
        }
        var made = LatencySummary.From(lags.ToArray());
        var claimArray = claimLags.ToArray();
        // Unclaimed runs count as late: a firing nobody could claim was not punctual.
        var withinPct = firingCount == 0 ? 0 : 100.0 * claimArray.Count(x => x <= TargetMs) / firingCount;
        var claimed = LatencySummary.From(claimArray);
        Console.WriteLine(Fmt.S($"  firings due in the window: {firingCount} ({firingCount / s.Duration:F0}/s); doubled {doubled}; missed {missed}; never claimed {unclaimed}"));
        Console.WriteLine(Fmt.S($"  due -> run made (createdAt, the pass's start): {made.Describe()}"));
        Console.WriteLine(Fmt.S($"  due -> claimed by a waiting HTTP worker: {claimed.Describe()}"));
        Console.WriteLine(Fmt.S($"  claimed within {TargetMs} ms of the due time: {withinPct:F2} % (claim errors: {claimers.Errors})"));
        Console.WriteLine(Fmt.S($"  late by second of the window: {string.Join(' ', lateBySecond)}"));
        Console.WriteLine($"  CPU during the window: {cpuUsed.Describe()}");

        var json = new JsonObject
        {
            ["scenario"] = "cron",
            ["run"] = run,
            ["nodes"] = nodes.Length,
            ["jobs"] = s.Jobs,
            ["schedule"] = s.Aligned ? "cron every second (aligned)" : "interval 1 s (spread)",
            ["duration_s"] = s.Duration,
            ["machine"] = IngestCommand.Machine(),
            ["firings"] = firingCount,
            ["firings_per_s"] = Fmt.Round(firingCount / s.Duration),
            ["lag_made"] = made.ToJson(),
            ["lag"] = claimed.ToJson(),
            ["within_50ms_pct"] = Fmt.Round(withinPct),
            ["late_by_second"] = new JsonArray([.. lateBySecond.Select(n => (JsonNode)n)]),
            ["doubled"] = doubled,
            ["missed"] = missed,
            ["unclaimed"] = unclaimed,
            ["claim_errors"] = claimers.Errors,
            ["resources"] = resourcesJson,
        };
        cpuUsed.AddTo(json);
        Console.WriteLine(json.ToJsonString(Fmt.JsonOut));
        return doubled == 0 ? 0 : 1;
    }

    /// <summary>Each job id with its index, 16 at a time (the HTTP clients' connection limit).</summary>
    private static Task ForEachAsync(string[] ids, Func<string, int, Task> body) =>
        Parallel.ForEachAsync(Enumerable.Range(0, ids.Length), new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (i, _) => await body(ids[i], i));

    /// <summary>HTTP workers long-polling the claim call on every node; they record when each run reached them and never complete one.</summary>
    private sealed class Claimers
    {
        private readonly CancellationTokenSource _stop;
        private readonly Task _all;
        private long _errors;

        public Claimers(HttpClient[] nodes, string queue, int perNode, CancellationToken ct)
        {
            _stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            _all = Task.WhenAll(nodes.SelectMany((node, n) => Enumerable.Range(0, perNode).Select(c => LoopAsync(node, Fmt.S($"cron-claimer-{n}-{c}"), queue))));
        }

        public System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset> Received { get; } = new(StringComparer.Ordinal);

        public long Errors => Interlocked.Read(ref _errors);

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await _all;
        }

        private async Task LoopAsync(HttpClient node, string worker, string queue)
        {
            var body = Encoding.UTF8.GetBytes(Fmt.S($$"""{"workerId":"{{worker}}","queues":["{{queue}}"],"max":100,"leaseSeconds":600,"waitSeconds":1}"""));
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    using var req = Http.Post("/api/v1/workers/claim", body);
                    using var resp = await node.SendAsync(req, _stop.Token);
                    var at = DateTimeOffset.UtcNow;
                    if (!resp.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref _errors);
                        continue;
                    }
                    using var doc = JsonDocument.Parse(await resp.Content.ReadAsStreamAsync(_stop.Token));
                    foreach (var r in doc.RootElement.GetProperty("runs").EnumerateArray())
                    {
                        Received.TryAdd(r.GetProperty("id").GetString()!, at);
                    }
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    return;
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref _errors);
                }
            }
        }
    }
}
