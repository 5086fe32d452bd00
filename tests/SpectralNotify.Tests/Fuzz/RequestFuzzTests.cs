using System.Diagnostics;
using CsCheck;
using SpectralNotify.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace SpectralNotify.Tests.Fuzz;

/// <summary>
/// Property-based fuzz of every route of both surfaces on both engines (audit findings 9, 10, 25):
/// no request answers 5xx, hangs or breaks its connection; nothing is logged at Error or Critical;
/// the server is healthy and ready afterwards. Cases come from <see cref="FuzzCase.All"/>; a failure
/// prints the CsCheck seed, and <c>CsCheck_Seed=&lt;seed&gt;</c> replays that sequence (the server's
/// state can still differ, since four clients send concurrently).
/// </summary>
public sealed class RequestFuzzTests(ITestOutputHelper output)
{
    private const int RequestsPerEngine = 10_000;
    private const int Clients = 4;

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task No_request_answers_5xx_or_logs_an_error(Engine engine)
    {
        Engines.Require(engine);
        var errors = new ErrorLog();
        await using var host = await TestHost.StartAsync(engine, services: s => s.AddSingleton<ILoggerProvider>(errors));
        var fixture = await FuzzFixture.SeedAsync(host);
        using var fuzzer = await Fuzzer.StartAsync(host, fixture);

        var clock = Stopwatch.StartNew();
        await FuzzCase.All.SampleAsync(fuzzer.SendAsync, output.WriteLine, iter: RequestsPerEngine, threads: Clients, print: c => c.ToString());
        clock.Stop();

        output.WriteLine($"{engine}: {fuzzer.Sent} requests in {clock.Elapsed.TotalSeconds:F1} s ({fuzzer.Resent} resent on a new connection); answers: "
            + string.Join(", ", fuzzer.Statuses.Select(kv => $"{kv.Key}×{kv.Value}")));
        Assert.True(errors.Entries.Count == 0,
            $"{errors.Entries.Count} error-level log entries, the first: {Environment.NewLine}{string.Join(Environment.NewLine + "---" + Environment.NewLine, errors.Entries.Take(3))}");
        var client = host.Client(null);
        Assert.Equal(200, (int)(await client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(200, (int)(await client.GetAsync("/readyz")).StatusCode);
    }

    [Fact]
    public void Templates_cover_every_compat_procedure()
    {
        var served = SpectralNotify.Server.Api.Compat.CompatEndpoints.Procedures.Select(p => p.Path).Order(StringComparer.Ordinal);
        Assert.Equal(served, RouteTemplates.CompatProcedures.Order(StringComparer.Ordinal));
    }
}
