using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace SpectralNotify.Bench;

/// <summary>HTTP plumbing shared by the scenarios.</summary>
internal static class Http
{
    public static readonly MediaTypeHeaderValue Json = new("application/json");

    /// <summary>An HTTP/1.1 client that keeps up to <paramref name="maxConnections"/> connections open to the server.</summary>
    public static HttpClient Create(Uri baseUri, string key, int maxConnections)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = maxConnections,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };
        var client = new HttpClient(handler)
        {
            BaseAddress = baseUri,
            Timeout = TimeSpan.FromSeconds(30),
            DefaultRequestVersion = HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        client.DefaultRequestHeaders.Add("X-API-Key", key);
        return client;
    }

    public static HttpRequestMessage Post(string path, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = Json;
        return new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
    }

    /// <summary>
    /// POSTs <paramref name="body"/> and reads the whole answer; returns null when it came back with
    /// <paramref name="expected"/>, else an error key for a tally (<c>http 503</c>, <c>timeout</c>, …).
    /// </summary>
    public static async Task<string?> SendAsync(HttpClient client, string path, byte[] body, HttpStatusCode expected, CancellationToken ct)
    {
        try
        {
            using var req = Post(path, body);
            using var resp = await client.SendAsync(req, ct);
            await resp.Content.LoadIntoBufferAsync(ct);
            return resp.StatusCode == expected ? null : Fmt.S($"http {(int)resp.StatusCode}");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException && !ct.IsCancellationRequested)
        {
            return ErrorKey(ex);
        }
    }

    /// <summary>Creates a task; an existing id is an error (ids carry a per-run prefix).</summary>
    public static async Task CreateTaskAsync(HttpClient client, string id, CancellationToken ct)
    {
        var body = System.Text.Encoding.UTF8.GetBytes(Fmt.S($$"""{"id":"{{id}}","title":"bench {{id}}"}"""));
        using var req = Post("/api/v1/tasks", body);
        using var resp = await client.SendAsync(req, ct);
        if (resp.StatusCode != HttpStatusCode.Created)
        {
            var text = await resp.Content.ReadAsStringAsync(ct);
            throw new InvalidOperationException(Fmt.S($"creating task {id}: HTTP {(int)resp.StatusCode} {text}"));
        }
    }

    /// <summary>A short random run id so repeated runs against one database never collide.</summary>
    public static string RunId() => Convert.ToHexString(Guid.NewGuid().ToByteArray().AsSpan(0, 4)).ToLowerInvariant();

    /// <summary>Error tally key for a failed request.</summary>
    public static string ErrorKey(Exception ex) => ex switch
    {
        TaskCanceledException => "timeout",
        HttpRequestException h when h.HttpRequestError != HttpRequestError.Unknown => "http:" + h.HttpRequestError,
        _ => ex.GetType().Name,
    };
}

/// <summary>Reads the server process's memory and CPU from /proc, and its /metrics.</summary>
internal sealed class ServerProbe(int? pid, HttpClient client)
{
    /// <summary>USER_HZ: the unit of utime/stime in /proc/pid/stat; 100 on every mainstream Linux build.</summary>
    private const double ClockTicksPerSecond = 100;

    public int? Pid => pid;

    /// <summary>VmRSS in KiB, or null without a pid.</summary>
    public long? RssKiB()
    {
        if (pid is null)
        {
            return null;
        }
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }
        return null;
    }

    /// <summary>Median of several RSS readings taken <paramref name="gap"/> apart (RSS moves with GC).</summary>
    public async Task<long?> RssMedianKiBAsync(int samples, TimeSpan gap, CancellationToken ct)
    {
        if (pid is null)
        {
            return null;
        }
        var values = new List<long>();
        for (var i = 0; i < samples; i++)
        {
            if (i > 0)
            {
                await Task.Delay(gap, ct);
            }
            values.Add(RssKiB() ?? 0);
        }
        values.Sort();
        return values[values.Count / 2];
    }

    /// <summary>User + system CPU seconds consumed by the server so far, or null without a pid.</summary>
    public double? CpuSeconds()
    {
        if (pid is null)
        {
            return null;
        }
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the command name "(...)": state is field 3, utime 14, stime 15.
        var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var utime = long.Parse(rest[11], CultureInfo.InvariantCulture);
        var stime = long.Parse(rest[12], CultureInfo.InvariantCulture);
        return (utime + stime) / ClockTicksPerSecond;
    }

    /// <summary>Seconds since the server process started (/proc/pid/stat starttime, /proc/uptime), or null without a pid.</summary>
    public double? AgeSeconds()
    {
        if (pid is null)
        {
            return null;
        }
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var start = long.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[19], CultureInfo.InvariantCulture) / ClockTicksPerSecond;
        var uptime = double.Parse(File.ReadAllText("/proc/uptime").Split(' ')[0], CultureInfo.InvariantCulture);
        return uptime - start;
    }

    public int? Threads()
    {
        if (pid is null)
        {
            return null;
        }
        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("Threads:", StringComparison.Ordinal));
        return line is null ? null : int.Parse(line["Threads:".Length..].Trim(), CultureInfo.InvariantCulture);
    }

    /// <summary>The /metrics samples keyed by <c>name{labels}</c>; empty when the scrape fails.</summary>
    public async Task<Dictionary<string, double>> MetricsAsync(CancellationToken ct)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        try
        {
            var text = await client.GetStringAsync("/metrics", ct);
            foreach (var raw in text.Split('\n'))
            {
                var line = raw.Trim();
                if (line.Length == 0 || line[0] == '#')
                {
                    continue;
                }
                var space = line.LastIndexOf(' ');
                if (space > 0 && double.TryParse(line[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
                {
                    result[line[..space]] = v;
                }
            }
        }
        catch (HttpRequestException)
        {
        }
        return result;
    }

    public static double Get(Dictionary<string, double> m, string key) => m.TryGetValue(key, out var v) ? v : 0;

    /// <summary>Counters that moved between two scrapes (bucket series included).</summary>
    public static JsonObject Delta(Dictionary<string, double> before, Dictionary<string, double> after)
    {
        var o = new JsonObject();
        foreach (var (k, v) in after.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var d = v - Get(before, k);
            if (d != 0)
            {
                o[k] = d;
            }
        }
        return o;
    }

    /// <summary>A <see cref="HistogramPercentile"/> for JSON, which has no infinity: <c>"+Inf"</c> past the last bucket.</summary>
    public static JsonNode? BucketJson(double? bound) => bound switch
    {
        null => null,
        double.PositiveInfinity => "+Inf",
        { } b => b,
    };

    /// <summary>
    /// Approximate percentile of a Prometheus histogram delta: the upper bound of the bucket the
    /// rank falls in (so "&lt;= 5 ms" reads as 5). Null when the histogram saw nothing.
    /// </summary>
    public static double? HistogramPercentile(Dictionary<string, double> before, Dictionary<string, double> after, string name, double p)
    {
        var buckets = after.Keys
            .Where(k => k.StartsWith(name + "_bucket{le=\"", StringComparison.Ordinal))
            .Select(k => (Key: k, Le: k[(name.Length + 12)..^2]))
            .Select(b => (b.Key, Bound: b.Le == "+Inf" ? double.PositiveInfinity : double.Parse(b.Le, CultureInfo.InvariantCulture)))
            .OrderBy(b => b.Bound)
            .ToList();
        if (buckets.Count == 0)
        {
            return null;
        }
        var total = Get(after, buckets[^1].Key) - Get(before, buckets[^1].Key);
        if (total <= 0)
        {
            return null;
        }
        var rank = Math.Ceiling(p * total);
        foreach (var (key, bound) in buckets)
        {
            if (Get(after, key) - Get(before, key) >= rank)
            {
                return bound;
            }
        }
        return double.PositiveInfinity;
    }
}

/// <summary>CPU time of this (load generator) process.</summary>
internal static class Self
{
    public static double CpuSeconds() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
}

/// <summary>
/// CPU seconds of a process and its direct children: a PostgreSQL postmaster and its backends
/// (the backends of pooled connections live as long as the pool, so a phase's delta is accurate).
/// </summary>
internal static class ProcessTree
{
    public static double? CpuSeconds(int? root)
    {
        if (root is not { } pid)
        {
            return null;
        }
        long ticks = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(dir);
            if (name.Length == 0 || !char.IsAsciiDigit(name[0]))
            {
                continue;
            }
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var ppid = int.Parse(rest[1], CultureInfo.InvariantCulture);
                if (ppid == pid || name == pid.ToString(CultureInfo.InvariantCulture))
                {
                    ticks += long.Parse(rest[11], CultureInfo.InvariantCulture) + long.Parse(rest[12], CultureInfo.InvariantCulture);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
            {
                // the process exited while we looked
            }
        }
        return ticks / 100.0;
    }
}

/// <summary>
/// Busy CPU seconds of the whole machine (all processes) from the first line of /proc/stat, so a
/// phase can report how much CPU other work took while it ran (the machine is shared).
/// </summary>
internal static class MachineCpu
{
    public static double? BusySeconds()
    {
        try
        {
            var line = File.ReadLines("/proc/stat").First();
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(x => long.Parse(x, CultureInfo.InvariantCulture)).ToArray();
            // user nice system idle iowait irq softirq steal [guest guest_nice, already in user/nice]
            var busy = f[0] + f[1] + f[2] + f[5] + f[6] + (f.Length > 7 ? f[7] : 0);
            return busy / 100.0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>Cores used by processes other than the server and this one over an interval; null when unknown.</summary>
    public static double? OtherCores(double? machineBusy, double? serverCpu, double selfCpu, double? dbCpu, double seconds) =>
        machineBusy is { } m && serverCpu is { } sv ? Math.Max(0, (m - sv - selfCpu - (dbCpu ?? 0)) / seconds) : null;
}
