using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace SpectralNotify.Bench;

/// <param name="Counter">When true, every client increments one hot counter instead of posting progress to tasks.</param>
internal sealed record IngestSettings(Uri Url, string Key, int Clients, int Tasks, double Duration, double Warmup, int? ServerPid, int? DbPid, bool Counter = false, string? Pg = null)
{
    public static IngestSettings From(Options o)
    {
        var s = new IngestSettings(
            o.Url(), o.String("key"), o.Int("clients", 64), o.Int("tasks", 256), o.Double("duration", 10, 0.1),
            o.Double("warmup", 2), o.Has("server-pid") ? o.Int("server-pid", 0) : null, o.Has("db-pid") ? o.Int("db-pid", 0) : null,
            o.Has("counter"), o.OptionalString("pg"));
        o.EnsureAllUsed();
        return s;
    }
}

/// <summary>
/// Durable ingest versus the trivial-endpoint floor, from the same load generator in the same run:
/// N closed-loop clients POST progress to M tasks round-robin, then GET /healthz, each for S seconds.
/// </summary>
internal static class IngestCommand
{
    public static async Task<int> RunAsync(IngestSettings s, CancellationToken ct)
    {
        using var client = Http.Create(s.Url, s.Key, s.Clients);
        var probe = new ServerProbe(s.ServerPid, client);
        var run = Http.RunId();
        Console.WriteLine(Fmt.S($"ingest: {s.Clients} clients, {s.Tasks} tasks, {s.Duration} s per phase (+{s.Warmup} s warmup), url {s.Url}, run {run}"));

        if (s.Counter)
        {
            return await HotCounterAsync(s, client, probe, run, ct);
        }
        var ids = Enumerable.Range(0, s.Tasks).Select(i => Fmt.S($"ing-{run}-{i}")).ToArray();
        var paths = ids.Select(id => $"/api/v1/tasks/{id}/progress").ToArray();
        var createWatch = Stopwatch.StartNew();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Math.Min(s.Clients, s.Tasks)).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < ids.Length)
            {
                await Http.CreateTaskAsync(client, ids[i], ct);
            }
        }));
        Console.WriteLine(Fmt.S($"  created {ids.Length} tasks in {createWatch.Elapsed.TotalSeconds:F2} s"));

        // progress values 0, 0.5, ... 99.5: always in range, and a task is never completed by them.
        var bodies = Enumerable.Range(0, 200).Select(i => Encoding.UTF8.GetBytes(Fmt.S($$"""{"progress":{{i / 2.0}}}"""))).ToArray();
        var ingest = await RunPhaseAsync("progress POST", s, probe, ct, async (n, token) =>
        {
            var task = (int)(n % ids.Length);
            using var req = Http.Post(paths[task], bodies[(int)(n / ids.Length % bodies.Length)]);
            using var resp = await client.SendAsync(req, HttpCompletionOption.ResponseContentRead, token);
            return (int)resp.StatusCode;
        });
        var healthz = await RunPhaseAsync("GET /healthz", s, probe, ct, async (_, token) =>
        {
            using var resp = await client.GetAsync("/healthz", HttpCompletionOption.ResponseContentRead, token);
            return (int)resp.StatusCode;
        });

        var ratio = healthz.Rate > 0 ? ingest.Rate / healthz.Rate : double.NaN;
        var rss = probe.RssKiB();
        Console.WriteLine(Fmt.S($"  ratio ingest/healthz = {ratio:F3} ({ratio * 100:F1}%)"));
        if (rss is not null)
        {
            Console.WriteLine(Fmt.S($"  server RSS after run: {rss / 1024.0:F1} MiB, threads {probe.Threads()}"));
        }

        var json = new JsonObject
        {
            ["scenario"] = "ingest",
            ["run"] = run,
            ["url"] = s.Url.ToString(),
            ["clients"] = s.Clients,
            ["tasks"] = s.Tasks,
            ["duration_s"] = s.Duration,
            ["warmup_s"] = s.Warmup,
            ["machine"] = Machine(),
            ["ingest"] = ingest.ToJson(),
            ["healthz"] = healthz.ToJson(),
            ["ratio"] = Fmt.Round(ratio, 4),
            ["server_rss_kib"] = rss,
        };
        Console.WriteLine(json.ToJsonString(Fmt.JsonOut));
        return ingest.Ok > 0 && healthz.Ok > 0 ? 0 : 1;
    }

    /// <summary>One hot counter: every client POSTs increment by 1 to the same counter; the final value must equal the successes.</summary>
    private static async Task<int> HotCounterAsync(IngestSettings s, HttpClient client, ServerProbe probe, string run, CancellationToken ct)
    {
        var name = Fmt.S($"hot-{run}");
        using (var create = Http.Post("/api/v1/counters", Encoding.UTF8.GetBytes(Fmt.S($$"""{"name":"{{name}}"}"""))))
        using (var created = await client.SendAsync(create, ct))
        {
            created.EnsureSuccessStatusCode();
        }
        var body = "{}"u8.ToArray();
        var path = $"/api/v1/counters/{name}/increment";
        var phase = await RunPhaseAsync("increment POST", s, probe, ct, async (_, token) =>
        {
            using var req = Http.Post(path, body);
            using var resp = await client.SendAsync(req, HttpCompletionOption.ResponseContentRead, token);
            return (int)resp.StatusCode;
        });
        using var final = await client.GetAsync($"/api/v1/counters/{name}", ct);
        var value = System.Text.Json.JsonDocument.Parse(await final.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("value").GetInt64();
        Console.WriteLine(Fmt.S($"  counter value {value} (warmup + measured increments, all durable)"));
        var json = new JsonObject
        {
            ["scenario"] = "counter",
            ["run"] = run,
            ["url"] = s.Url.ToString(),
            ["clients"] = s.Clients,
            ["duration_s"] = s.Duration,
            ["machine"] = Machine(),
            ["increment"] = phase.ToJson(),
            ["final_value"] = value,
        };
        Console.WriteLine(json.ToJsonString(Fmt.JsonOut));
        return phase.Ok > 0 ? 0 : 1;
    }

    internal static JsonObject Machine() => new()
    {
        ["processors"] = Environment.ProcessorCount,
        ["runtime"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
        ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        ["utc"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
    };

    /// <summary>Warmup (unrecorded), then the measured window: each client loops until the deadline; in-flight requests finish and count.</summary>
    private static async Task<PhaseResult> RunPhaseAsync(
        string name, IngestSettings s, ServerProbe probe, CancellationToken ct, Func<long, CancellationToken, Task<int>> request)
    {
        if (s.Warmup > 0)
        {
            await LoopAsync(s.Clients, s.Warmup, record: false, request, ct);
        }
        var resources = await ResourceWindow.StartAsync(probe, s.Pg, ct);
        var metricsBefore = await probe.MetricsAsync(ct);
        var serverCpu0 = probe.CpuSeconds();
        var selfCpu0 = Self.CpuSeconds();
        var machine0 = MachineCpu.BusySeconds();
        var db0 = ProcessTree.CpuSeconds(s.DbPid);
        var (latencies, errors, elapsed) = await LoopAsync(s.Clients, s.Duration, record: true, request, ct);
        var serverCpu = probe.CpuSeconds() - serverCpu0;
        var selfCpu = Self.CpuSeconds() - selfCpu0;
        var dbCpu = ProcessTree.CpuSeconds(s.DbPid) - db0;
        var otherCores = MachineCpu.OtherCores(MachineCpu.BusySeconds() - machine0, serverCpu, selfCpu, dbCpu, elapsed);
        var metricsAfter = await probe.MetricsAsync(ct);
        var summary = LatencySummary.From(latencies);
        var result = new PhaseResult(name, summary.Count, errors, elapsed, summary,
            serverCpu / elapsed, selfCpu / elapsed, dbCpu / elapsed, otherCores, ServerProbe.Delta(metricsBefore, metricsAfter),
            await resources.StopAsync(summary.Count, ct, elapsed));
        Console.WriteLine(result.Describe());
        return result;
    }

    private static async Task<(List<double>[] Latencies, SortedDictionary<string, long> Errors, double Elapsed)> LoopAsync(
        int clients, double seconds, bool record, Func<long, CancellationToken, Task<int>> request, CancellationToken ct)
    {
        var errors = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var latencies = new List<double>[clients];
        long counter = -1;
        var start = Stopwatch.GetTimestamp();
        var deadline = start + Fmt.Ticks(seconds);
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            var mine = latencies[c] = new List<double>(record ? 4096 : 0);
            while (Stopwatch.GetTimestamp() < deadline)
            {
                ct.ThrowIfCancellationRequested();
                var n = Interlocked.Increment(ref counter);
                var t0 = Stopwatch.GetTimestamp();
                string? error;
                try
                {
                    var status = await request(n, ct);
                    error = status is >= 200 and < 300 ? null : Fmt.S($"http {status}");
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException && !ct.IsCancellationRequested)
                {
                    error = Http.ErrorKey(ex);
                }
                var ms = Fmt.Ms(Stopwatch.GetTimestamp() - t0);
                if (!record)
                {
                    continue;
                }
                if (error is null)
                {
                    mine.Add(ms);
                }
                else
                {
                    errors.AddOrUpdate(error, 1, (_, v) => v + 1);
                }
            }
        }, ct)));
        var elapsed = Fmt.Seconds(Stopwatch.GetTimestamp() - start);
        return (latencies, new SortedDictionary<string, long>(errors, StringComparer.Ordinal), elapsed);
    }

    private sealed record PhaseResult(
        string Name, long Ok, SortedDictionary<string, long> Errors, double Elapsed, LatencySummary Latency,
        double? ServerCores, double SelfCores, double? DbCores, double? OtherCores, JsonObject MetricsDelta, JsonObject Resources)
    {
        public double Rate => Ok / Elapsed;

        public string Describe()
        {
            var errors = Errors.Count == 0 ? "0" : string.Join(", ", Errors.Select(e => Fmt.S($"{e.Key}: {e.Value}")));
            var cpu = ServerCores is { } sc ? Fmt.S($"server CPU {sc:F2} cores, ") : "";
            var db = DbCores is { } dc ? Fmt.S($", PostgreSQL {dc:F2} cores") : "";
            var other = OtherCores is { } oc ? Fmt.S($", other processes {oc:F2} cores") : "";
            return Fmt.S($"  {Name,-14} {Rate,9:F1} req/s  ok={Ok} errors={errors}  ({Elapsed:F2} s; {cpu}load generator {SelfCores:F2} cores{db}{other})")
                + Environment.NewLine + "                 " + Latency.Describe();
        }

        public JsonObject ToJson() => new()
        {
            ["rate_per_s"] = Fmt.Round(Rate, 1),
            ["ok"] = Ok,
            ["errors"] = new JsonObject(Errors.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)e.Value))),
            ["error_count"] = Errors.Values.Sum(),
            ["elapsed_s"] = Fmt.Round(Elapsed),
            ["latency"] = Latency.ToJson(),
            ["server_cpu_cores"] = ServerCores is { } sc ? Fmt.Round(sc) : null,
            ["loadgen_cpu_cores"] = Fmt.Round(SelfCores),
            ["db_cpu_cores"] = DbCores is { } dc ? Fmt.Round(dc) : null,
            ["other_cpu_cores"] = OtherCores is { } oc ? Fmt.Round(oc) : null,
            ["server_metrics_delta"] = MetricsDelta,
            ["resources"] = Resources,
        };
    }
}
