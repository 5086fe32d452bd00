using System.Diagnostics;

namespace SpectralNotify.Bench;

/// <summary><c>wait</c>: polls <c>GET /readyz</c> until it answers 200 or the timeout passes (exit 1).</summary>
internal static class WaitCommand
{
    public static async Task<int> RunAsync(Options o, CancellationToken ct)
    {
        var url = o.Url();
        var timeout = TimeSpan.FromSeconds(o.Double("timeout", 60, 1));
        o.EnsureAllUsed();
        using var client = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(5) };
        var watch = Stopwatch.StartNew();
        string last = "no answer";
        while (watch.Elapsed < timeout)
        {
            try
            {
                using var resp = await client.GetAsync("/readyz", ct);
                if (resp.IsSuccessStatusCode)
                {
                    Console.WriteLine(Fmt.S($"ready after {watch.Elapsed.TotalSeconds:F1} s"));
                    return 0;
                }
                last = Fmt.S($"HTTP {(int)resp.StatusCode}");
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                last = ex.GetType().Name;
            }
            await Task.Delay(200, ct);
        }
        Console.Error.WriteLine(Fmt.S($"not ready after {timeout.TotalSeconds} s: {last}"));
        return 1;
    }
}
