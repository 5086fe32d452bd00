using System.Diagnostics;

namespace SpectralNotify.Tests.Infrastructure;

/// <summary>examples/workers/http-worker.mjs, the documented HTTP worker, as a real node process against a test host.</summary>
public static class ExampleWorker
{
    public static ProcessStartInfo StartInfo(TestHost host, IReadOnlyDictionary<string, string> settings)
    {
        var start = new ProcessStartInfo("node", [RepoFiles.Find(Path.Combine("examples", "workers", "http-worker.mjs"))])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["SPECTRAL_URL"] = host.BaseAddress.ToString().TrimEnd('/');
        start.Environment["SPECTRAL_KEY"] = TestHost.WriteKey;
        foreach (var (k, v) in settings)
        {
            start.Environment[k] = v;
        }
        return start;
    }
}
