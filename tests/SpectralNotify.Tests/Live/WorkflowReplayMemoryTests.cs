using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Live;

/// <summary>
/// Audit finding 7: anonymous replays of a big workflow must not grow the server without bound.
/// The server is a real <c>spectral</c> process, so its RSS (from /proc) is its own.
/// </summary>
public sealed class WorkflowReplayMemoryTests(ITestOutputHelper output)
{
    /// <summary>
    /// The bound stated in docs/operations.md ("Limits"): 20 full replays of a 500-phase workflow
    /// with 300 events raise the server's peak RSS by less than this. Measured: +17 MB (147 → 164 MB).
    /// Before the phases were encoded once per page and pages bounded by bytes, the same run took the
    /// server from 130 MB to 976 MB (+846 MB), and it stayed at 972 MB after the clients left.
    /// </summary>
    private const long MaxPeakGrowthBytes = 150L * 1024 * 1024;

    private const int Parents = 20;
    private const int ChildrenPerParent = 24; // 20 + 20 × 24 = 500 phases, the cap
    private const int Updates = 300;
    private const int Clients = 20;

    [Fact]
    public async Task Twenty_anonymous_replays_of_a_500_phase_workflow_stay_within_the_memory_bound()
    {
        await using var db = await TestDatabase.CreateAsync(Engine.Sqlite);
        await using var server = await ServerProcess.StartServerAsync(db.Setting, TestHost.AdminKey, "replay-memory", settings: new Dictionary<string, string>
        {
            // Anonymous reads by id are becoming opt-in; until the setting exists it is ignored and they are on by default.
            ["Auth__AnonymousReads"] = "ById",
        });
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        http.DefaultRequestHeaders.Add("X-API-Key", TestHost.AdminKey);
        await (await http.PostJsonAsync("/api/v1/workflows", WideWorkflow("wf-big"))).ExpectAsync(201);
        for (var i = 0; i < Updates; i++)
        {
            var key = Child(i % Parents, i / Parents % ChildrenPerParent);
            await (await http.PostJsonAsync($"/api/v1/workflows/wf-big/phases/{key}/progress", $$"""{"progress":{{i % 99 + 1}}}""")).ExpectAsync(200);
        }
        const long lastSeq = Updates + 1;

        var before = ProcStatus(server.ProcessId);
        var clients = new List<ClientWebSocket>();
        for (var i = 0; i < Clients; i++)
        {
            var socket = new ClientWebSocket(); // no key: anonymous
            await socket.ConnectAsync(new Uri($"ws://{server.BaseAddress.Authority}/ws/workflow/wf-big?after=0"), CancellationToken.None);
            clients.Add(socket);
        }
        var received = await Task.WhenAll(clients.Select(c => ReadToSeqAsync(c, lastSeq)));
        var peak = ProcStatus(server.ProcessId);
        foreach (var c in clients)
        {
            await c.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
            c.Dispose();
        }
        await Eventually.TrueAsync(async () => Gauge(await http.GetStringAsync("/metrics"), "spectral_live_topics") == 0,
            "every replay's subscription is gone after its client disconnected");
        var after = ProcStatus(server.ProcessId);

        var growth = peak.HighWater - before.Rss;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RSS before {before.Rss >> 20} MB, peak {peak.HighWater >> 20} MB (growth {growth >> 20} MB), after disconnect {after.Rss >> 20} MB; {received.Sum(r => r.Bytes) >> 20} MB sent"));
        Assert.All(received, r => Assert.Equal(lastSeq, r.Messages));
        Assert.True(growth < MaxPeakGrowthBytes,
            $"peak RSS grew by {growth >> 20} MB (before {before.Rss >> 20} MB, peak {peak.HighWater >> 20} MB); the bound is {MaxPeakGrowthBytes >> 20} MB");
    }

    private static string Child(int parent, int child) => string.Create(CultureInfo.InvariantCulture, $"p{parent}.c{child}");

    /// <summary>Twenty top-level phases of 24 children each, with realistic labels.</summary>
    private static string WideWorkflow(string id)
    {
        var phases = new List<string>();
        for (var p = 0; p < Parents; p++)
        {
            phases.Add(string.Create(CultureInfo.InvariantCulture, $$"""{"key":"p{{p}}","label":"Stage {{p}} of the nightly media pipeline","weight":{{1.0 / Parents:R}}}"""));
            for (var c = 0; c < ChildrenPerParent; c++)
            {
                phases.Add(string.Create(CultureInfo.InvariantCulture,
                    $$"""{"key":"{{Child(p, c)}}","label":"Step {{c}} of stage {{p}}: transcode and upload","weight":{{1.0 / ChildrenPerParent:R}},"parentPhaseKey":"p{{p}}"}"""));
            }
        }
        return $$"""{"id":"{{id}}","phases":[{{string.Join(',', phases)}}]}""";
    }

    /// <summary>Reads whole messages until the one with <paramref name="lastSeq"/>; returns how many and their bytes.</summary>
    private static async Task<(long Messages, long Bytes)> ReadToSeqAsync(ClientWebSocket socket, long lastSeq)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        long count = 0, bytes = 0;
        while (true)
        {
            var r = await socket.ReceiveAsync(buffer, cts.Token);
            if (r.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException($"closed after {count} messages: {socket.CloseStatus} {socket.CloseStatusDescription}");
            }
            message.Write(buffer, 0, r.Count);
            if (!r.EndOfMessage)
            {
                continue;
            }
            bytes += message.Length;
            using (var doc = JsonDocument.Parse(message.ToArray()))
            {
                count++;
                Assert.Equal(count, doc.RootElement.GetProperty("seq").GetInt64());
            }
            message.SetLength(0);
            if (count == lastSeq)
            {
                return (count, bytes);
            }
        }
    }

    private static (long Rss, long HighWater) ProcStatus(int pid)
    {
        long Field(string[] lines, string name) =>
            long.Parse(lines.Single(l => l.StartsWith(name + ":", StringComparison.Ordinal))[(name.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        var status = File.ReadAllLines($"/proc/{pid}/status", Encoding.ASCII);
        return (Field(status, "VmRSS"), Field(status, "VmHWM"));
    }

    private static double Gauge(string metrics, string name) => metrics.Split('\n')
        .Where(l => l.StartsWith(name, StringComparison.Ordinal) && !l.StartsWith('#'))
        .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
}
