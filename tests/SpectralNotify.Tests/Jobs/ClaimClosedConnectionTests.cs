using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Jobs;

/// <summary>
/// A claim never leases runs to a client whose connection has closed. Kestrel can start a request on
/// a kept-alive HTTP/1.1 connection the client has already closed (a worker that cancels its claim as
/// it stops, while the server is still ending the previous request) with a RequestAborted token that
/// never fires; only the connection's own token says so. Real sockets hit that window only under load
/// (RemoteWorkerDrainTests failed 1 run in 5–8 with eight busy loops on the two cores), so these tests
/// stand in for the connection: a request naming a connection here gets a lifetime feature whose
/// closed token the test controls.
/// </summary>
public sealed class ClaimClosedConnectionTests
{
    private const string Header = "X-Test-Connection";

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_claim_on_a_closed_connection_leases_nothing(Engine engine)
    {
        var connections = new Connections();
        await using var host = await StartAsync(engine, connections);
        var http = host.Client(TestHost.WriteKey);
        var id = await EnqueueAsync(http);
        connections.Close("gone");

        var answer = await ClaimAsync(http, "gone", waitSeconds: 0);
        Assert.Equal(0, answer.GetProperty("runs").GetArrayLength());
        Assert.Equal("pending", await StateAsync(http, id));

        // The same claim on an open connection takes it: the closed connection is what held it back.
        var taken = await ClaimAsync(http, "open", waitSeconds: 0);
        Assert.Equal(id, taken.GetProperty("runs")[0].GetProperty("id").GetString());
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_long_poll_whose_connection_closes_while_it_waits_ends_and_leases_nothing(Engine engine)
    {
        var connections = new Connections();
        await using var host = await StartAsync(engine, connections);
        var http = host.Client(TestHost.WriteKey);

        var claim = ClaimAsync(http, "waiting", waitSeconds: 30);
        await Eventually.TrueAsync(async () => await MetricAsync(http, "spectral_claims_waiting") == 1, "the claim waits for work");
        connections.Close("waiting");
        var answer = await claim.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, answer.GetProperty("runs").GetArrayLength());

        var id = await EnqueueAsync(http);
        Assert.Equal("pending", await StateAsync(http, id));
    }

    private static Task<TestHost> StartAsync(Engine engine, Connections connections) =>
        TestHost.StartAsync(engine, services: s => s.AddSingleton<IStartupFilter>(new FakeConnectionFilter(connections)));

    private static async Task<string> EnqueueAsync(HttpClient http)
    {
        var created = await (await http.PostJsonAsync("/api/v1/runs", """{"runs":[{"type":"job"}]}""")).ExpectAsync(201);
        return created.GetProperty("runs")[0].GetProperty("id").GetString()!;
    }

    private static async Task<System.Text.Json.JsonElement> ClaimAsync(HttpClient http, string connection, int waitSeconds)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/workers/claim")
        {
            Content = new StringContent($$"""{"workerId":"w1","queues":["default"],"max":1,"waitSeconds":{{waitSeconds}}}""",
                new MediaTypeHeaderValue("application/json")),
        };
        request.Headers.Add(Header, connection);
        return await (await http.SendAsync(request)).ExpectAsync(200);
    }

    private static async Task<string?> StateAsync(HttpClient http, string id) =>
        (await (await http.GetAsync($"/api/v1/runs/{id}")).ExpectAsync(200)).GetProperty("state").GetString();

    private static async Task<double> MetricAsync(HttpClient http, string name)
    {
        var text = await http.GetStringAsync("/metrics");
        var line = text.Split('\n').First(l => l.StartsWith(name + " ", StringComparison.Ordinal));
        return double.Parse(line[(name.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The test's connections by name; each closes when the test says.</summary>
    private sealed class Connections
    {
        private readonly ConcurrentDictionary<string, CancellationTokenSource> _closed = new();

        public CancellationToken Token(string name) => _closed.GetOrAdd(name, _ => new CancellationTokenSource()).Token;

        public void Close(string name) => _closed.GetOrAdd(name, _ => new CancellationTokenSource()).Cancel();
    }

    private sealed class FakeConnectionFilter(Connections connections) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, following) =>
            {
                if (context.Request.Headers[Header].ToString() is { Length: > 0 } name)
                {
                    context.Features.Set<IConnectionLifetimeFeature>(new Lifetime(connections.Token(name)));
                }
                return following(context);
            });
            next(app);
        };
    }

    private sealed class Lifetime(CancellationToken closed) : IConnectionLifetimeFeature
    {
        public CancellationToken ConnectionClosed { get; set; } = closed;

        public void Abort()
        {
        }
    }
}
