using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SpectralNotify.Bench;

/// <param name="Phase">
/// <c>enqueue</c>: bulk-enqueue <see cref="Count"/> no-op runs in batches, then single-run enqueues
/// from 1 and from <see cref="Clients"/> clients (run it against a server with <c>Workers__Enabled=false</c>,
/// so nothing consumes them). <c>burndown</c>: against a server with workers, time from the first
/// completion until no no-op run is pending or running; then the start latency of runs enqueued
/// open-loop at <see cref="Rate"/> per second.
/// </param>
internal sealed record JobsSettings(Uri Url, string Key, string Phase, int Count, int Batch, int Clients, double Duration, int Rate, int? ServerPid,
    string? Pg = null, long? CommitsBefore = null)
{
    public static JobsSettings From(Options o)
    {
        var s = new JobsSettings(o.Url(), o.String("key"), o.String("phase"), o.Int("count", 100_000), o.Int("batch", 250),
            o.Int("clients", 16), o.Double("duration", 10, 0.1), o.Int("rate", 200), o.Has("server-pid") ? o.Int("server-pid", 0) : null,
            o.OptionalString("pg"), o.OptionalString("commits-before") is { } cb ? long.Parse(cb, System.Globalization.CultureInfo.InvariantCulture) : null);
        o.EnsureAllUsed();
        if (s.Phase is not ("enqueue" or "burndown"))
        {
            throw new UsageException("--phase must be enqueue or burndown");
        }
        return s;
    }
}

/// <summary>The job queue scenarios of performance anchor P-JOBS (enqueue, burn-down, start latency).</summary>
internal static class JobsCommand
{
    public static async Task<int> RunAsync(JobsSettings s, CancellationToken ct)
    {
        using var client = Http.Create(s.Url, s.Key, Math.Max(s.Clients, 4));
        var result = new JsonObject { ["scenario"] = "jobs-" + s.Phase };
        var probe = new ServerProbe(s.ServerPid, client);
        // Each enqueue phase gets its own resource window (server CPU, RSS, PostgreSQL commits per run).
        async Task<JsonObject> Measured(Func<Task<JsonObject>> phase, string opsKey)
        {
            var window = await ResourceWindow.StartAsync(probe, s.Pg, ct);
            var r = await phase();
            r["resources"] = await window.StopAsync(long.Parse(r[opsKey]!.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture), ct);
            return r;
        }
        if (s.Phase == "enqueue")
        {
            result["bulk"] = await Measured(() => BulkAsync(s, client, ct), "runs");
            result["single_1"] = await Measured(() => SingleAsync(s, client, 1, ct), "ok");
            result["single_n"] = await Measured(() => SingleAsync(s, client, s.Clients, ct), "ok");
        }
        else
        {
            result["burndown"] = await BurnDownAsync(s, client, ct);
            result["latency"] = await LatencyAsync(s, client, ct);
        }
        Console.WriteLine(result.ToJsonString(Fmt.JsonOut));
        return 0;
    }

    /// <summary>POST /api/v1/runs with <c>batch</c> no-op runs per request, one request at a time.</summary>
    private static async Task<JsonObject> BulkAsync(JobsSettings s, HttpClient client, CancellationToken ct)
    {
        // Ids burn-0 … burn-(N-1): the burn-down phase reads the first run's start and the last runs' completion from them.
        byte[] Body(int from) => Encoding.UTF8.GetBytes("{\"runs\":[" + string.Join(',', Enumerable.Range(from, s.Batch)
            .Select(i => Fmt.S($$$"""{"id":"burn-{{{i}}}","type":"noop","payload":{}}"""))) + "]}");
        var watch = Stopwatch.StartNew();
        var done = 0;
        while (done < s.Count)
        {
            using var req = Http.Post("/api/v1/runs", Body(done));
            using var resp = await client.SendAsync(req, ct);
            if (resp.StatusCode != HttpStatusCode.Created)
            {
                throw new InvalidOperationException(Fmt.S($"bulk enqueue: HTTP {(int)resp.StatusCode} {await resp.Content.ReadAsStringAsync(ct)}"));
            }
            done += s.Batch;
        }
        var rate = done / watch.Elapsed.TotalSeconds;
        Console.WriteLine(Fmt.S($"bulk enqueue: {done} runs in batches of {s.Batch}: {watch.Elapsed.TotalSeconds:F2} s, {rate:F0} runs/s"));
        return new JsonObject { ["runs"] = done, ["batch"] = s.Batch, ["seconds"] = Fmt.Round(watch.Elapsed.TotalSeconds), ["rate_per_s"] = Fmt.Round(rate, 0) };
    }

    /// <summary>One run per POST from <paramref name="clients"/> closed-loop clients for the duration (type and queue "bench-hold": nothing takes them).</summary>
    private static async Task<JsonObject> SingleAsync(JobsSettings s, HttpClient client, int clients, CancellationToken ct)
    {
        // A queue of their own: no worker serves it, so these runs stay pending without lengthening the
        // scan of the "default" queue, whose claims skip runs of types they have no handler for.
        var body = Encoding.UTF8.GetBytes("""{"runs":[{"type":"bench-hold","queue":"bench-hold","payload":{}}]}""");
        var until = Stopwatch.GetTimestamp() + Fmt.Ticks(s.Duration);
        var latencies = Enumerable.Range(0, clients).Select(_ => new List<double>()).ToArray();
        var errors = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
        {
            while (Stopwatch.GetTimestamp() < until)
            {
                var start = Stopwatch.GetTimestamp();
                using var req = Http.Post("/api/v1/runs", body);
                using var resp = await client.SendAsync(req, ct);
                if (resp.StatusCode == HttpStatusCode.Created)
                {
                    latencies[c].Add(Fmt.Ms(Stopwatch.GetTimestamp() - start));
                }
                else
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }));
        var summary = LatencySummary.From(latencies);
        var rate = summary.Count / watch.Elapsed.TotalSeconds;
        Console.WriteLine(Fmt.S($"single enqueue, {clients} client(s): {rate:F0} runs/s, {summary.Describe()}, {errors} errors"));
        return new JsonObject { ["clients"] = clients, ["ok"] = summary.Count, ["rate_per_s"] = Fmt.Round(rate, 0), ["latency"] = summary.ToJson(), ["errors"] = errors };
    }

    /// <summary>
    /// Waits until no no-op run is pending or running, then reads the server's own timestamps: from
    /// the first run's start (burn-0, claimed first: same priority, oldest) to the latest completion
    /// among the last 500 enqueued (claimed last). Server start-up is therefore not counted.
    /// </summary>
    private static async Task<JsonObject> BurnDownAsync(JobsSettings s, HttpClient client, CancellationToken ct)
    {
        var probe = new ServerProbe(s.ServerPid, client);
        var cpuBefore = probe.CpuSeconds();
        // This server burns down from its start, so the window begins with its process (CPU and wall time
        // include its start-up) and commits count from the baseline run.sh read before it started (--commits-before).
        var window = await ResourceWindow.StartAsync(probe, s.CommitsBefore is null ? null : s.Pg, ct, s.CommitsBefore, sinceServerStart: true);
        while (await AnyAsync(client, "pending", ct) || await AnyAsync(client, "in-progress", ct))
        {
            await Task.Delay(100, ct);
        }
        var cpu = probe.CpuSeconds() - cpuBefore;
        var resources = await window.StopAsync(s.Count, ct);
        var first = (await TaskAsync(client, "burn-0", ct)).GetProperty("startedAt").GetDateTimeOffset();
        var last = DateTimeOffset.MinValue;
        for (var i = Math.Max(0, s.Count - 500); i < s.Count; i++)
        {
            var completed = (await TaskAsync(client, Fmt.S($"burn-{i}"), ct)).GetProperty("completedAt").GetDateTimeOffset();
            last = completed > last ? completed : last;
        }
        var seconds = (last - first).TotalSeconds;
        var rate = s.Count / seconds;
        // SQLite reports its writer's commits in /metrics; this server started with the burn-down, so the
        // count so far is the burn-down's (plus start-up). PostgreSQL commits are counted by run.sh.
        var metrics = await probe.MetricsAsync(ct);
        double? commitsPerJob = metrics.TryGetValue("spectral_sqlite_commits_total", out var commits) ? commits / s.Count : null;
        Console.WriteLine(Fmt.S($"burn-down: {s.Count} no-op runs in {seconds:F2} s = {rate:F0} runs/s (server CPU since this phase began {cpu:F1} s; SQLite commits per run {commitsPerJob:F3})"));
        return new JsonObject
        {
            ["runs"] = s.Count, ["seconds"] = Fmt.Round(seconds), ["rate_per_s"] = Fmt.Round(rate, 0),
            ["server_cpu_s"] = cpu is { } c ? Fmt.Round(c) : null,
            ["sqlite_commits_per_run"] = commitsPerJob is { } k ? Fmt.Round(k, 4) : null,
            ["resources"] = resources,
        };
    }

    private static async Task<JsonElement> TaskAsync(HttpClient client, string id, CancellationToken ct)
    {
        using var doc = JsonDocument.Parse(await client.GetStringAsync($"/api/v1/tasks/{id}", ct));
        return doc.RootElement.Clone();
    }

    /// <summary>Open loop: one no-op run per POST at <c>rate</c>/s; latency = the run's startedAt − the intended send time.</summary>
    private static async Task<JsonObject> LatencyAsync(JobsSettings s, HttpClient client, CancellationToken ct)
    {
        var prefix = "lat-" + Http.RunId() + "-";
        var total = (int)(s.Rate * s.Duration);
        var intended = new DateTimeOffset[total];
        var enqueue = new double[total];
        var start = DateTimeOffset.UtcNow.AddMilliseconds(200);
        var sends = new List<Task>(total);
        for (var i = 0; i < total; i++)
        {
            intended[i] = start.AddSeconds((double)i / s.Rate);
            var wait = intended[i] - DateTimeOffset.UtcNow;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, ct);
            }
            var n = i;
            sends.Add(Task.Run(async () =>
            {
                var t = Stopwatch.GetTimestamp();
                using var req = Http.Post("/api/v1/runs", Encoding.UTF8.GetBytes(Fmt.S($$"""{"runs":[{"id":"{{prefix}}{{n}}","type":"noop"}]}""")));
                using var resp = await client.SendAsync(req, ct);
                enqueue[n] = Fmt.Ms(Stopwatch.GetTimestamp() - t);
            }, ct));
        }
        await Task.WhenAll(sends);
        var startLatency = new List<double>(total);
        for (var i = 0; i < total; i++)
        {
            for (var tries = 0; tries < 100; tries++)
            {
                var started = (await TaskAsync(client, Fmt.S($"{prefix}{i}"), ct)).GetProperty("startedAt");
                if (started.ValueKind == JsonValueKind.String)
                {
                    startLatency.Add((started.GetDateTimeOffset() - intended[i]).TotalMilliseconds);
                    break;
                }
                await Task.Delay(50, ct);
            }
        }
        var latency = LatencySummary.From(startLatency.ToArray());
        var enq = LatencySummary.From(enqueue);
        Console.WriteLine(Fmt.S($"start latency at {s.Rate}/s for {s.Duration} s: enqueue call {enq.Describe()}; enqueue->start {latency.Describe()}"));
        return new JsonObject { ["rate"] = s.Rate, ["runs"] = total, ["enqueue_call"] = enq.ToJson(), ["enqueue_to_start"] = latency.ToJson() };
    }

    private static async Task<bool> AnyAsync(HttpClient client, string status, CancellationToken ct)
    {
        using var doc = JsonDocument.Parse(await client.GetStringAsync($"/api/v1/tasks?status={status}&type=noop&limit=1", ct));
        return doc.RootElement.GetProperty("data").GetArrayLength() > 0;
    }
}
