// spectral-bench: load generator for a running SpectralNotify server, in its own process.
//
//   spectral-bench ingest --url U --key K --clients N --tasks M --duration S [--warmup S] [--server-pid P]
//   spectral-bench fanout --url U --key K --subscribers K --rate R --duration S [--server-pid P]
//   spectral-bench mux    --url U --key K --subscriptions N --rate R --duration S [--server-pid P]
//   spectral-bench wait   --url U [--timeout S]                     (polls /readyz)
//   spectral-bench jobs   --url U --key K --phase enqueue|burndown [--count N] [--batch B] [--clients C] [--rate R] [--duration S]
//   spectral-bench cron   --url U [--url2 U2] --key K [--jobs N] [--duration S] [--aligned]
//
// Each scenario prints human-readable lines and, as its last line, one JSON object.
using SpectralNotify.Bench;

if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    Console.WriteLine(Usage.Text);
    return args.Length == 0 ? 2 : 0;
}

try
{
    var options = Options.Parse(args.AsSpan(1));
    if (options.Has("help"))
    {
        Console.WriteLine(Usage.Text);
        return 0;
    }
    using var cts = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        cts.Cancel();
    };
    return args[0] switch
    {
        "ingest" => await IngestCommand.RunAsync(IngestSettings.From(options), cts.Token),
        "fanout" => await FanoutCommand.RunAsync(FanoutSettings.From(options), cts.Token),
        "mux" => await MuxCommand.RunAsync(MuxSettings.From(options), cts.Token),
        "wait" => await WaitCommand.RunAsync(options, cts.Token),
        "jobs" => await JobsCommand.RunAsync(JobsSettings.From(options), cts.Token),
        "cron" => await CronCommand.RunAsync(CronSettings.From(options), cts.Token),
        _ => throw new UsageException($"unknown command '{args[0]}'"),
    };
}
catch (UsageException ex)
{
    Console.Error.WriteLine($"spectral-bench: {ex.Message}");
    Console.Error.WriteLine(Usage.Text);
    return 2;
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("spectral-bench: canceled");
    return 130;
}

internal static class Usage
{
    public const string Text = """
        usage:
          spectral-bench ingest --url U --key K [--clients 64] [--tasks 256] [--duration 10] [--warmup 2] [--server-pid P] [--db-pid P]
              Creates M tasks; N concurrent HTTP clients POST /api/v1/tasks/{id}/progress round-robin for S seconds,
              then the same N clients GET /healthz for S seconds. Reports rates, latency, errors and the ratio.
          spectral-bench fanout --url U --key K [--subscribers 1000] [--rate 20] [--duration 10] [--server-pid P] [--db-pid P]
                                [--connect-concurrency 32] [--drain 10] [--settle 2] [--warmup-subscribers 50] [--hold 0]
              Creates one task, opens K WebSocket subscribers (/ws/task/{id}), measures server RSS per connection,
              posts R events/s for S seconds and measures delivery latency (send -> receive), loss, seq gaps and duplicates.
          spectral-bench mux --url U --key K [--subscriptions 1000] [--rate 20] [--duration 10] [--batch 250] [--no-subscribe]
                             [--server-pid P] [--db-pid P] [--drain 10] [--settle 2] [--warmup-ticks 5] [--http-connections 64]
              Creates N tasks and subscribes to all of them on ONE protocol-v2 WebSocket (/api/v1/live); writes R events/s to
              every task for S seconds through POST /api/v1/tasks/batch (B tasks per batch, open loop) and measures delivery
              latency (the event's server timestamp -> receive, and POST sent -> receive), loss, seq order and duplicates per
              subscription, and server RSS. --no-subscribe: the same writes with nobody listening (the write path alone).
          spectral-bench wait --url U [--timeout 60]
              Waits until GET /readyz answers 200.
          spectral-bench jobs --url U --key K --phase enqueue [--count 100000] [--batch 250] [--clients 16] [--duration 10]
              Bulk-enqueues N no-op runs in batches of B, then enqueues one run per POST from 1 and from C clients for S seconds each.
              Run it against a server with Workers__Enabled=false.
          spectral-bench jobs --url U --key K --phase burndown [--count 100000] [--rate 200] [--duration 10] [--server-pid P]
              Against the same database with workers on: times the burn-down of the N runs, then enqueues one no-op run
              per POST at R/s for S seconds and reports enqueue->start latency (the run's startedAt minus its intended send time).
          spectral-bench ingest --counter ... : the same, but every client increments ONE counter (the hot-counter scenario).
          spectral-bench cron --url U [--url2 U2] --key K [--jobs 1000] [--duration 10] [--warmup 3] [--aligned] [--server-pid P] [--db-pid P]
              Creates N jobs firing every second (1 s intervals spread over the second they were created in; --aligned: the
              cron "* * * * * ?", all due at once), through both nodes when --url2 is given, on a queue no worker serves.
              After the warm-up, for S seconds: firings, lag from each run's scheduledAt to its createdAt (p50/p99, % within
              50 ms), doubled firings (same job and due time) and missed ones (a job with fewer than S firings in the window).
          fanout --url2 U2: half the subscribers connect to the second node, and the events are posted to both nodes in turn.
        --server-pid: the server process, for RSS and CPU from /proc. --db-pid: a PostgreSQL postmaster, whose CPU
        (with its backends) is reported separately from "other processes".
        --pg "Host=...;Port=...;Username=...;Database=...": the server's PostgreSQL (Npgsql string, read with psql):
        every measured window then reports commits per operation (pg_stat_database.xact_commit delta). Each
        window's "resources" object also has server CPU (cores) and RSS (peak, end) when --server-pid is given,
        and without --pg the SQLite commits per operation from the server's /metrics.
        jobs --phase burndown takes --commits-before N (xact_commit read before its server started) instead of
        a baseline of its own, because the burn-down starts with the server.
        Output: human-readable lines, then one JSON line (the last line of stdout).
        """;
}
