using System.Net;
using System.Text.Json;
using SpectralNotify.Client;
using SpectralNotify.Client.Models;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Client;

/// <summary>Configuration, API keys, tokens and sessions through the .NET client against a real server, on both engines.</summary>
[Collection(ClientServersCollection.Name)]
public sealed class AdminClientTests(ClientServers servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Config_entries_are_put_read_listed_and_deleted_with_secrets_hidden(Engine engine)
    {
        await using var client = await servers.ClientAsync(engine);
        var key = Unique.Name("cfg");
        var created = await client.Config.PutAsync(key, new PutConfigRequest { Type = ConfigValueTypes.Integer, Value = JsonSerializer.SerializeToElement(42) }, Ct);
        Assert.Equal(42, created.Value!.Value.GetInt64());
        var secret = await client.Config.PutAsync(key + "-s", new PutConfigRequest { Type = ConfigValueTypes.String, Value = JsonSerializer.SerializeToElement("hunter2"), IsSecret = true }, Ct);
        Assert.Null(secret.Value);
        Assert.Equal(42, (await client.Config.GetAsync(key, Ct)).Value!.Value.GetInt64());
        Assert.Contains(await client.Config.ListAsync(Ct), e => e.Key == key);

        var wrongType = await Assert.ThrowsAsync<SpectralApiException>(() =>
            client.Config.PutAsync(key, new PutConfigRequest { Type = ConfigValueTypes.Integer, Value = JsonSerializer.SerializeToElement("x") }, Ct));
        Assert.True(wrongType.Problem.Errors!.ContainsKey("value"));
        await client.Config.DeleteAsync(key, Ct);
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<SpectralApiException>(() => client.Config.DeleteAsync(key, Ct))).StatusCode);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_key_is_created_without_an_idempotency_key_used_listed_and_revoked(Engine engine)
    {
        // The automatic Idempotency-Key is on: the server would refuse it on POST /api/v1/keys with 400.
        await using var client = await servers.ClientAsync(engine);
        var name = Unique.Name("key");
        var created = await client.Keys.CreateAsync(new CreateApiKeyRequest { Name = name, Scopes = ["write"] }, Ct);
        Assert.StartsWith("sn_", created.Key, StringComparison.Ordinal);
        Assert.Equal(["write"], created.Scopes);
        var listed = Assert.Single(await client.Keys.ListAsync(Ct), k => k.Name == name);
        Assert.Equal("database", listed.Source);

        await using (var writer = await servers.ClientAsync(engine, o => o.ApiKey = created.Key))
        {
            await writer.Tasks.CreateAsync(new CreateTaskRequest(), ct: Ct);
            var forbidden = await Assert.ThrowsAsync<SpectralApiException>(() => writer.Keys.ListAsync(Ct));
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        }

        var taken = await Assert.ThrowsAsync<SpectralApiException>(() => client.Keys.CreateAsync(new CreateApiKeyRequest { Name = name, Scopes = ["read"] }, Ct));
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        await client.Keys.RevokeAsync(created.Id, Ct);
        Assert.NotNull(Assert.Single(await client.Keys.ListAsync(Ct), k => k.Name == name).RevokedAt);
        await using var revoked = await servers.ClientAsync(engine, o => o.ApiKey = created.Key);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Assert.ThrowsAsync<SpectralApiException>(() => revoked.Tasks.ListAsync(ct: Ct))).StatusCode);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_minted_token_reads_what_its_scopes_allow_through_the_token_provider(Engine engine)
    {
        await using var client = await servers.ClientAsync(engine);
        var id = (await client.Tasks.CreateAsync(new CreateTaskRequest(), ct: Ct)).Id;
        var token = await client.Tokens.MintAsync([$"read:tasks:{id}"], TimeSpan.FromMinutes(5), Ct);
        Assert.Equal([$"read:tasks:{id}"], token.Scopes);
        Assert.True(token.ExpiresAt > DateTimeOffset.UtcNow);

        var calls = 0;
        await using var browser = await servers.ClientAsync(engine, o =>
        {
            o.ApiKey = null;
            o.AccessTokenProvider = _ => { Interlocked.Increment(ref calls); return ValueTask.FromResult<string?>(token.Token); };
        });
        Assert.Equal(id, (await browser.Tasks.GetAsync(id, Ct)).Id);
        Assert.True(calls >= 1);
        var other = await Assert.ThrowsAsync<SpectralApiException>(() => browser.Tasks.ProgressAsync(id, 5, ct: Ct));
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);

        var rotated = await client.Tokens.RotateAsync(Ct);
        Assert.False(string.IsNullOrEmpty(rotated.Kid));
        Assert.Equal(id, (await browser.Tasks.GetAsync(id, Ct)).Id);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Sessions_list_the_open_stream_of_a_task(Engine engine)
    {
        await using var client = await servers.ClientAsync(engine);
        var id = (await client.Tasks.CreateAsync(new CreateTaskRequest(), ct: Ct)).Id;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromSeconds(30));
        await using var stream = client.Tasks.StreamAsync(id, after: 0, ct: cts.Token).GetAsyncEnumerator(cts.Token);
        Assert.True(await stream.MoveNextAsync());
        await Eventually.TrueAsync(async () => (await client.Sessions.ListAsync(active: true, ct: Ct)).Any(s => s.EntityId == id && s.ConnectionType == "sse"),
            "the stream's session is listed");
        await cts.CancelAsync();
    }
}
