using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace SpectralNotify.Bench;

/// <summary>Latency distribution of a sample set, in milliseconds (nearest-rank percentiles).</summary>
internal sealed record LatencySummary(long Count, double Mean, double P50, double P90, double P99, double P999, double Max)
{
    public static readonly LatencySummary Empty = new(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);

    /// <summary>Sorts <paramref name="ms"/> in place.</summary>
    public static LatencySummary From(double[] ms)
    {
        if (ms.Length == 0)
        {
            return Empty;
        }
        Array.Sort(ms);
        return new LatencySummary(ms.Length, ms.Average(), Rank(ms, 0.50), Rank(ms, 0.90), Rank(ms, 0.99), Rank(ms, 0.999), ms[^1]);
    }

    public static LatencySummary From(IEnumerable<List<double>> parts)
    {
        var all = new double[parts.Sum(p => p.Count)];
        var at = 0;
        foreach (var p in parts)
        {
            p.CopyTo(all, at);
            at += p.Count;
        }
        return From(all);
    }

    private static double Rank(double[] sorted, double p)
    {
        var index = (int)Math.Ceiling(p * sorted.Length) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Length - 1)];
    }

    public string Describe() => Count == 0
        ? "no samples"
        : Fmt.S($"p50={P50:F2} ms  p90={P90:F2} ms  p99={P99:F2} ms  p99.9={P999:F2} ms  max={Max:F2} ms  (mean {Mean:F2}, n={Count})");

    public JsonObject ToJson() => new()
    {
        ["count"] = Count,
        ["mean_ms"] = Fmt.Round(Mean),
        ["p50_ms"] = Fmt.Round(P50),
        ["p90_ms"] = Fmt.Round(P90),
        ["p99_ms"] = Fmt.Round(P99),
        ["p999_ms"] = Fmt.Round(P999),
        ["max_ms"] = Fmt.Round(Max),
    };
}

/// <summary>Invariant-culture formatting helpers.</summary>
internal static class Fmt
{
    /// <summary>Compact JSON without \u0022-style escaping of quotes in Prometheus series names.</summary>
    public static readonly System.Text.Json.JsonSerializerOptions JsonOut = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string S(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    public static double? Round(double v, int digits = 3) => double.IsFinite(v) ? Math.Round(v, digits) : null;

    public static double Ms(long stopwatchTicks) => stopwatchTicks * 1000.0 / Stopwatch.Frequency;

    public static double Seconds(long stopwatchTicks) => (double)stopwatchTicks / Stopwatch.Frequency;

    public static long Ticks(double seconds) => (long)(seconds * Stopwatch.Frequency);
}
