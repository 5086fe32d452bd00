using System.Diagnostics;

namespace SpectralNotify.Bench;

/// <summary>
/// Open-loop sending: item i starts at start + i/rate whatever earlier items are doing, so a slow
/// response delays no later send (no coordinated omission).
/// </summary>
internal static class OpenLoop
{
    /// <summary>Runs <paramref name="send"/> for 0 … count-1 on schedule; returns the seconds until the last one finished.</summary>
    public static async Task<double> RunAsync(int count, double rate, Func<int, Task> send, CancellationToken ct)
    {
        var inFlight = new List<Task>(count);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            var wait = start + Fmt.Ticks(i / rate) - Stopwatch.GetTimestamp();
            if (wait > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(Fmt.Seconds(wait)), ct);
            }
            var index = i;
            inFlight.Add(Task.Run(() => send(index), ct));
        }
        await Task.WhenAll(inFlight);
        return Fmt.Seconds(Stopwatch.GetTimestamp() - start);
    }

    /// <summary>Counts each failed send's error key (null = success).</summary>
    public static SortedDictionary<string, long> Tally(IEnumerable<string?> errors)
    {
        var tally = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var e in errors.OfType<string>())
        {
            tally[e] = tally.GetValueOrDefault(e) + 1;
        }
        return tally;
    }
}
