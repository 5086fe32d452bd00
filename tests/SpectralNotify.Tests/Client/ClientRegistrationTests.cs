using System.Collections.Concurrent;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using SpectralNotify.Client;
using SpectralNotify.Client.Models;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Client;

/// <summary><c>AddSpectralNotifyClient</c>: the client from a ServiceCollection, its retries with automatic Idempotency-Keys, and the long-poll client.</summary>
[Collection(ClientServersCollection.Name)]
public sealed class ClientRegistrationTests(ClientServers servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task The_client_from_a_service_collection_calls_the_server_and_a_retried_post_is_applied_once(Engine engine)
    {
        var server = await servers.ServerAsync(engine);
        var loseFirstAnswer = new LoseFirstAnswer();
        var services = new ServiceCollection()
            .AddSpectralNotifyClient(o => { o.BaseAddress = server.BaseAddress; o.ApiKey = TestHost.AdminKey; });
        // Inside the resilience handler: its retry resends through this handler.
        services.AddHttpClient(SpectralClientServiceCollectionExtensions.HttpClientName).AddHttpMessageHandler(() => loseFirstAnswer);
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<SpectralClient>();

        var type = Unique.Name("retry");
        loseFirstAnswer.Armed = true;
        var created = await client.Tasks.CreateAsync(new CreateTaskRequest { Type = type }, ct: Ct);

        // The server wrote the task, the answer was lost, the retry carried the same key and got the stored answer back.
        var keys = loseFirstAnswer.Seen.Where(s => s.Method == "POST").Select(s => s.Key).ToList();
        Assert.Equal(2, keys.Count);
        Assert.NotNull(keys[0]);
        Assert.Equal(keys[0], keys[1]);
        Assert.Equal("true", loseFirstAnswer.LastReplayed);
        Assert.Equal(created.Id, Assert.Single((await client.Tasks.ListAsync(new TaskQuery { Type = type }, Ct)).Data).Id);

        // Routes whose answer holds a secret get no automatic key (the server would answer 400).
        loseFirstAnswer.Seen.Clear();
        await client.Tokens.MintAsync(["read:tasks:*"], ct: Ct);
        Assert.Null(Assert.Single(loseFirstAnswer.Seen).Key);
    }

    [Fact]
    public async Task A_claim_that_waits_longer_than_the_standard_attempt_timeout_is_answered()
    {
        var server = await servers.ServerAsync(Engine.Sqlite);
        var services = new ServiceCollection().AddSpectralNotifyClient(o => { o.BaseAddress = server.BaseAddress; o.ApiKey = TestHost.AdminKey; });
        await using var provider = services.BuildServiceProvider();
        var standard = provider.GetRequiredService<IOptionsMonitor<HttpStandardResilienceOptions>>();
        var attempt = standard.Get(SpectralClientServiceCollectionExtensions.HttpClientName + "-standard").AttemptTimeout.Timeout;
        Assert.True(standard.Get(SpectralClientServiceCollectionExtensions.LongPollHttpClientName + "-standard").AttemptTimeout.Timeout > TimeSpan.FromSeconds(30));

        // An empty queue: the server holds the claim for the whole wait, past the standard attempt timeout.
        var wait = (int)attempt.TotalSeconds + 2;
        var client = provider.GetRequiredService<SpectralClient>();
        var claim = await client.Workers.ClaimAsync(new ClaimRunsRequest { WorkerId = "w", Queues = [Unique.Name("empty")], WaitSeconds = wait }, ct: Ct);
        // Through the standard client this would end in a TimeoutRejectedException (SpectralNetworkException).
        Assert.Empty(claim.Runs);
    }

    /// <summary>Records each request's Idempotency-Key; when armed, drops the first answer as a broken connection would.</summary>
    private sealed class LoseFirstAnswer : DelegatingHandler
    {
        public volatile bool Armed;

        public ConcurrentQueue<(string Method, string? Key)> Seen { get; } = new();

        public string? LastReplayed { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Seen.Enqueue((request.Method.Method, request.Headers.TryGetValues("Idempotency-Key", out var v) ? v.Single() : null));
            var response = await base.SendAsync(request, cancellationToken);
            LastReplayed = response.Headers.TryGetValues("Idempotent-Replayed", out var r) ? r.Single() : null;
            if (Armed)
            {
                Armed = false;
                response.Dispose();
                throw new HttpRequestException("The connection broke before the answer arrived (simulated).");
            }
            return response;
        }
    }
}
