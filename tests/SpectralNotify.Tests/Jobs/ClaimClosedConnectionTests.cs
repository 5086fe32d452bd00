using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using SpectralNotify.Jobs;
using SpectralNotify.Realtime;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Jobs;

/// <summary>
/// A claim never leases runs to a client whose connection has closed. Kestrel can start a request on
/// a kept-alive HTTP/1.1 connection the client has already closed (a worker that cancels its claim as
/// it stops, while the server is still ending the previous request) with a RequestAborted token that
/// never fires; only the connection's own token says so. Real sockets hit that window only under load
/// (RemoteWorkerDrainTests failed 1 run in 5–8 with eight busy loops on the two cores), so these tests
/// close the connection through <see cref="ClosableConnections"/>.
/// </summary>
public sealed class ClaimClosedConnectionTests
{
    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_claim_on_a_closed_connection_leases_nothing(Engine engine)
    {
        var connections = new ClosableConnections();
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
        var connections = new ClosableConnections();
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

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Runs_leased_as_the_connection_closes_go_back_to_the_queue_without_using_an_attempt(Engine engine)
    {
        var connections = new ClosableConnections();
        await using var host = await StartAsync(engine, connections);
        var http = host.Client(TestHost.WriteKey);
        var id = await EnqueueAsync(http);
        // The connection closes after the claim's transaction leased the run and before its answer: the
        // feed hears of the start synchronously, inside the claim, which is where this window is.
        using var closing = host.Services.GetRequiredService<TaskFeed>().Subscribe(item =>
        {
            if (item.Run is { State: JobRun.Running } run && run.TaskId == id)
            {
                connections.Close("closing");
            }
        });

        var answer = await ClaimAsync(http, "closing", waitSeconds: 0);
        Assert.Equal(0, answer.GetProperty("runs").GetArrayLength());
        var run = await (await http.GetAsync($"/api/v1/runs/{id}")).ExpectAsync(200);
        Assert.Equal(("pending", 0), (run.GetProperty("state").GetString(), run.GetProperty("attempt").GetInt32()));
        var events = await (await http.GetAsync($"/api/v1/tasks/{id}/events")).ExpectAsync(200);
        Assert.Contains(events.GetProperty("data").EnumerateArray(), e => e.GetProperty("message").GetString()!
            .StartsWith("Attempt 1 never reached worker w1 (its connection closed before the claim's answer)", StringComparison.Ordinal));

        // Another claim takes it at once, as its first attempt.
        var taken = await ClaimAsync(http, "open", waitSeconds: 0);
        Assert.Equal((id, 1), (taken.GetProperty("runs")[0].GetProperty("id").GetString(), taken.GetProperty("runs")[0].GetProperty("attempt").GetInt32()));
    }

    private static Task<TestHost> StartAsync(Engine engine, ClosableConnections connections) =>
        TestHost.StartAsync(engine, services: connections.Install);

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
        request.Headers.Add(ClosableConnections.Header, connection);
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
}
