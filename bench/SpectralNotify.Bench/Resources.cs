using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace SpectralNotify.Bench;

/// <summary>PostgreSQL's committed transactions (<c>pg_stat_database.xact_commit</c>) read with psql, so no driver is needed.</summary>
internal static class PgStats
{
    /// <summary>Backends flush their counters at most once a second: wait this long around a window.</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(1200);

    /// <summary>xact_commit of the connection string's database, or null when it is not given or psql fails.</summary>
    public static async Task<long?> XactCommitAsync(string? npgsql, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(npgsql))
        {
            return null;
        }
        var fields = npgsql.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(f => f.Split('=', 2)).Where(p => p.Length == 2)
            .GroupBy(p => p[0].Trim().ToLowerInvariant()).ToDictionary(g => g.Key, g => g.Last()[1].Trim());
        string F(string k, string fallback) => fields.TryGetValue(k, out var v) && v.Length > 0 ? v : fallback;
        var psi = new ProcessStartInfo("psql") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-X", "-q", "-At", "-c", "select xact_commit from pg_stat_database where datname = current_database()" })
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["PGHOST"] = F("host", "127.0.0.1");
        psi.Environment["PGPORT"] = F("port", "5432");
        psi.Environment["PGUSER"] = F("username", "postgres");
        psi.Environment["PGDATABASE"] = F("database", "postgres");
        psi.Environment["PGPASSWORD"] = F("password", "");
        using var p = Process.Start(psi)!;
        var output = await p.StandardOutput.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct);
        return p.ExitCode == 0 && long.TryParse(output.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;
    }
}

/// <summary>
/// The server's resources over one measured window: CPU (cores), RSS (peak sampled every 250 ms, and
/// at the end) and commits per operation: on PostgreSQL (<c>--pg</c>) the database's xact_commit delta,
/// on SQLite the server's own <c>spectral_sqlite_commits_total</c> (/metrics). Reported as <c>"resources"</c>.
/// </summary>
internal sealed class ResourceWindow
{
    private const string SqliteCommits = "spectral_sqlite_commits_total";
    private readonly ServerProbe _probe;
    private readonly string? _pg;
    private readonly long? _commits0;
    private readonly double? _cpu0;
    private readonly long _t0;
    private readonly double _elapsedBefore;
    private readonly double? _sqlite0;
    private readonly RssPeak _rss;

    private ResourceWindow(ServerProbe probe, string? pg, long? commits0, double? cpu0, double elapsedBefore, double? sqlite0)
    {
        _sqlite0 = sqlite0;
        _elapsedBefore = elapsedBefore;
        _probe = probe;
        _pg = pg;
        _commits0 = commits0;
        _cpu0 = cpu0;
        _t0 = Stopwatch.GetTimestamp();
        _rss = new RssPeak(probe, TimeSpan.FromMilliseconds(250));
    }

    /// <summary>
    /// Starts a window. With a PostgreSQL connection string it first waits <see cref="PgStats.Settle"/> so
    /// the commits of what came before have been counted, unless <paramref name="commitsBefore"/> is given
    /// (a baseline read earlier, e.g. by run.sh before the server started).
    /// </summary>
    /// <remarks><paramref name="sinceServerStart"/>: the window began when the server process started (CPU from 0, wall time from its start).</remarks>
    public static async Task<ResourceWindow> StartAsync(ServerProbe probe, string? pg, CancellationToken ct, long? commitsBefore = null, bool sinceServerStart = false)
    {
        long? c0 = commitsBefore;
        if (c0 is null && !string.IsNullOrEmpty(pg))
        {
            await Task.Delay(PgStats.Settle, ct);
            c0 = await PgStats.XactCommitAsync(pg, ct);
        }
        double? sqlite0 = null;
        if (c0 is null && (await probe.MetricsAsync(ct)).TryGetValue(SqliteCommits, out var sc))
        {
            sqlite0 = sinceServerStart ? 0 : sc;
        }
        return sinceServerStart
            ? new ResourceWindow(probe, pg, c0, 0, probe.AgeSeconds() ?? 0, sqlite0)
            : new ResourceWindow(probe, pg, c0, probe.CpuSeconds(), 0, sqlite0);
    }

    /// <summary>Ends the window; <paramref name="operations"/> is what the scenario did in it (requests, events, runs).</summary>
    public async Task<JsonObject> StopAsync(long operations, CancellationToken ct, double? seconds = null) =>
        (await EndAsync(ct, seconds)).Report(operations);

    /// <summary>
    /// Ends the window before the scenario knows how many operations it held (cron counts its firings by
    /// reading them back afterwards, and those reads must not count). <paramref name="settle"/>: wait for
    /// PostgreSQL's statistics to count the window's last commits; a steady workload that goes on after the
    /// window (the cron scheduler) skips it, since the counters lag equally at both ends.
    /// </summary>
    public async Task<ResourceTotals> EndAsync(CancellationToken ct, double? seconds = null, bool settle = true)
    {
        var wall = seconds ?? Fmt.Seconds(Stopwatch.GetTimestamp() - _t0) + _elapsedBefore;
        var cpu = _probe.CpuSeconds() - _cpu0;
        var rssEnd = _probe.RssKiB();
        await _rss.DisposeAsync();
        long? commits = null;
        if (_commits0 is { } c0)
        {
            if (settle)
            {
                await Task.Delay(PgStats.Settle, ct);
            }
            commits = await PgStats.XactCommitAsync(_pg, ct) - c0;
        }
        else if (_sqlite0 is { } s0 && (await _probe.MetricsAsync(ct)).TryGetValue(SqliteCommits, out var s1))
        {
            commits = (long)(s1 - s0);
        }
        return new ResourceTotals(wall, cpu, _rss.PeakKiB, rssEnd, commits);
    }
}

/// <summary>What a <see cref="ResourceWindow"/> measured, reported once the window's operations are counted.</summary>
internal sealed record ResourceTotals(double Wall, double? Cpu, long? RssPeakKiB, long? RssEndKiB, long? Commits)
{
    public JsonObject Report(long operations)
    {
        var json = new JsonObject
        {
            ["seconds"] = Fmt.Round(Wall),
            ["operations"] = operations,
            ["server_cpu_s"] = Cpu is { } c ? Fmt.Round(c) : null,
            ["server_cpu_cores"] = Cpu is { } cc && Wall > 0 ? Fmt.Round(cc / Wall) : null,
            ["rss_peak_kib"] = Math.Max(RssPeakKiB ?? 0, RssEndKiB ?? 0) is > 0 and var peak ? peak : null,
            ["rss_end_kib"] = RssEndKiB,
            ["commits"] = Commits,
            ["commits_per_op"] = Commits is { } k && operations > 0 ? Fmt.Round((double)k / operations, 4) : null,
        };
        Console.WriteLine(Fmt.S($"  resources: {operations} ops in {Wall:F2} s, server CPU {json["server_cpu_cores"]} cores, RSS peak {json["rss_peak_kib"]} KiB end {RssEndKiB} KiB, commits {Commits?.ToString(CultureInfo.InvariantCulture) ?? "n/a"} ({json["commits_per_op"]} per op)"));
        return json;
    }
}
