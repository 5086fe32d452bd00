using System.Diagnostics;

namespace SpectralNotify.Tests.Infrastructure;

/// <summary>
/// examples/workers/http-worker.mjs, the documented HTTP worker, as a real node process against a
/// test host. It imports the JS SDK built in the repository (clients/js/packages/client/dist), which
/// scripts/test.sh builds before the .NET tests.
/// </summary>
public static class ExampleWorker
{
    public static ProcessStartInfo StartInfo(TestHost host, IReadOnlyDictionary<string, string> settings)
    {
        var script = RepoFiles.Find(Path.Combine("examples", "workers", "http-worker.mjs"));
        var sdk = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(script)!, "..", "..", "clients", "js", "packages", "client", "dist", "index.js"));
        if (!File.Exists(sdk))
        {
            throw new InvalidOperationException(
                $"examples/workers/http-worker.mjs imports the JS SDK from {sdk}, which is not built: run `npm ci && npm run build` in clients/js (scripts/test.sh does it before the .NET tests).");
        }
        var start = new ProcessStartInfo("node", [script])
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
