using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using SpectralNotify.Tests.Infrastructure;
using static SpectralNotify.Tests.Api.ApiAssert;
using static SpectralNotify.Tests.Infrastructure.TokenClients;

namespace SpectralNotify.Tests.Api;

/// <summary>Short-lived scoped tokens: minting, scopes on both surfaces and live, expiry, renewal, revocation, rotation.</summary>
public sealed class TokenTests
{
    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_token_reads_its_own_task_and_nothing_else_on_both_surfaces(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var writer = host.Client(TestHost.WriteKey);
        await writer.CreateTaskAsync("mine");
        await writer.CreateTaskAsync("other");
        var reader = Bearer(host, await MintAsync(writer, """["read:tasks:mine"]"""));

        await (await reader.GetAsync("/api/v1/tasks/mine")).ExpectAsync(200);
        await (await reader.GetAsync("/api/v1/tasks/mine/events")).ExpectAsync(200);
        await (await reader.PostJsonAsync("/tasks/getById", """{"taskId":"mine"}""")).ExpectAsync(200);
        var other = await reader.GetAsync("/api/v1/tasks/other");
        await ProblemAsync(other, 403);
        Assert.Contains("insufficient_scope", other.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(403, (int)(await reader.PostJsonAsync("/tasks/getById", """{"taskId":"other"}""")).StatusCode);
        await ProblemAsync(await reader.GetAsync("/api/v1/tasks"), 403);
        await ProblemAsync(await reader.PostJsonAsync("/api/v1/tasks/mine/progress", """{"progress":5}"""), 403);
        // A token cannot mint tokens, so it can never widen itself.
        await ProblemAsync(await reader.PostJsonAsync("/api/v1/tokens", """{"scopes":["read:tasks:*"]}"""), 403);
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_token_watches_its_task_live_and_is_refused_on_another(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var writer = host.Client(TestHost.WriteKey);
        await writer.CreateTaskAsync("mine");
        await writer.CreateTaskAsync("other");
        var token = await MintAsync(writer, """["read:tasks:mine"]""");

        await using var ws = await host.ConnectAsync($"/ws/task/mine?after=1&access_token={token}", key: null);
        await (await writer.PostJsonAsync("/api/v1/tasks/mine/progress", """{"progress":40}""")).ExpectAsync(200);
        Assert.Equal(40, (await ws.ReceiveJsonAsync()).GetProperty("task").GetProperty("progress").GetDouble());

        var refused = await Assert.ThrowsAsync<WebSocketException>(() => host.ConnectAsync($"/ws/task/other?access_token={token}", key: null));
        Assert.Contains("403", refused.Message, StringComparison.Ordinal);
        // A key-shaped value in access_token, or a token in apiKey, is not a way around the scope.
        await Assert.ThrowsAsync<WebSocketException>(() => host.ConnectAsync($"/ws/task/other?apiKey={token}", key: null));
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Only_write_and_admin_keys_mint_and_only_what_they_may_do(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var writer = host.Client(TestHost.WriteKey);
        await ProblemAsync(await host.Client(TestHost.ReadKey).PostJsonAsync("/api/v1/tokens", """{"scopes":["read:tasks:x"]}"""), 403);
        await ProblemAsync(await host.Client(null).PostJsonAsync("/api/v1/tokens", """{"scopes":["read:tasks:x"]}"""), 401);
        await ProblemAsync(await writer.PostJsonAsync("/api/v1/tokens", """{"scopes":[]}"""), 400, "scopes");
        await ProblemAsync(await writer.PostJsonAsync("/api/v1/tokens", """{"scopes":["admin"]}"""), 400, "scopes[0]");
        await ProblemAsync(await writer.PostJsonAsync("/api/v1/tokens", """{"scopes":["write:workflows:w"]}"""), 400, "scopes[0]");
        await ProblemAsync(await writer.PostJsonAsync("/api/v1/tokens", """{"scopes":["write:tasks:*"]}"""), 400, "scopes[0]");
        await ProblemAsync(await writer.PostJsonAsync("/api/v1/tokens", """{"scopes":["read:tasks:x"],"ttlSeconds":86401}"""), 400, "ttlSeconds");
        await ProblemAsync(await writer.PostJsonAsync("/api/v1/tokens", """{"scopes":["read:tasks:x"],"ttlSeconds":0}"""), 400, "ttlSeconds");
        // The answer is a secret: never stored for replay, so an Idempotency-Key is refused up front.
        await ProblemAsync(await writer.PostJsonAsync("/api/v1/tokens", """{"scopes":["read:tasks:x"]}""", idempotencyKey: "mint-1"), 400, "Idempotency-Key");

        var minted = await (await writer.PostJsonAsync("/api/v1/tokens", """{"scopes":["read:tasks:*","write:tasks:up"],"ttlSeconds":86400}""")).ExpectAsync(201);
        Assert.Equal(["read:tasks:*", "write:tasks:up"], minted.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        var expires = minted.GetProperty("expiresAt").GetDateTimeOffset();
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromHours(23.9), TimeSpan.FromHours(24.1));
        var token = Bearer(host, minted.GetProperty("token").GetString()!);
        // read:tasks:* lists; write:tasks:<id> reports progress and events to that task and nothing else.
        await writer.CreateTaskAsync("up");
        await (await token.GetAsync("/api/v1/tasks")).ExpectAsync(200);
        await (await token.PostJsonAsync("/api/v1/tasks/up/progress", """{"progress":10}""")).ExpectAsync(200);
        await (await token.PostJsonAsync("/api/v1/tasks/up/events", """{"type":"log","message":"hi"}""")).ExpectAsync(201);
        await ProblemAsync(await token.PostJsonAsync("/api/v1/tasks/up/complete", "{}"), 403);
        await ProblemAsync(await token.PostJsonAsync("/api/v1/tasks", """{"id":"new"}"""), 403);
        await ProblemAsync(await token.GetAsync("/api/v1/workflows"), 403);
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task An_expired_token_is_401_invalid_token(Engine engine)
    {
        var time = new ManualTime(DateTimeOffset.UtcNow);
        await using var host = await TestHost.StartAsync(engine, time: time);
        var writer = host.Client(TestHost.WriteKey);
        await writer.CreateTaskAsync("t");
        var reader = Bearer(host, await MintAsync(writer, """["read:tasks:t"]""", ttlSeconds: 60));
        await (await reader.GetAsync("/api/v1/tasks/t")).ExpectAsync(200);

        time.Advance(TimeSpan.FromMinutes(2));
        var r = await reader.GetAsync("/api/v1/tasks/t");
        await ProblemAsync(r, 401, "expired");
        Assert.Contains("error=\"invalid_token\"", r.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        // Refused even where an anonymous caller would be let in: the client must learn its token is stale.
        var forged = Bearer(host, "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl");
        await ProblemAsync(await forged.GetAsync("/api/v1/tasks/t"), 401);
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Revoking_the_minting_key_ends_its_tokens(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var admin = host.Client();
        await admin.CreateTaskAsync("t");
        var (id, secret) = await admin.CreateKeyAsync("minter", """["write"]""");
        var reader = Bearer(host, await MintAsync(host.Client(secret), """["read:tasks:t"]"""));
        await (await reader.GetAsync("/api/v1/tasks/t")).ExpectAsync(200);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/keys/{id}")).StatusCode);
        await ProblemAsync(await reader.GetAsync("/api/v1/tasks/t"), 401, "revoked");
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Rotating_the_signing_key_keeps_every_token_valid(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var writer = host.Client(TestHost.WriteKey);
        await writer.CreateTaskAsync("t");
        var before = await MintAsync(writer, """["read:tasks:t"]""");
        await ProblemAsync(await writer.PostJsonAsync("/api/v1/tokens/rotate", ""), 403);
        var rotated = await (await host.Client().PostJsonAsync("/api/v1/tokens/rotate", "")).ExpectAsync(200);
        var after = await MintAsync(writer, """["read:tasks:t"]""");

        Assert.NotEqual(Kid(before), Kid(after));
        Assert.Equal(rotated.GetProperty("kid").GetString(), Kid(after));
        await (await Bearer(host, before).GetAsync("/api/v1/tasks/t")).ExpectAsync(200);
        await (await Bearer(host, after).GetAsync("/api/v1/tasks/t")).ExpectAsync(200);
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Creating_can_answer_with_a_read_token_for_what_was_created(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var writer = host.Client(TestHost.WriteKey);
        var created = await writer.CreateTaskAsync("upload-1", ""","token":{"ttlSeconds":3600}""");
        var token = created.GetProperty("token");
        Assert.Equal(["read:tasks:upload-1"], token.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        await writer.CreateTaskAsync("upload-2");
        var browser = Bearer(host, token.GetProperty("token").GetString()!);
        await (await browser.GetAsync("/api/v1/tasks/upload-1")).ExpectAsync(200);
        await ProblemAsync(await browser.GetAsync("/api/v1/tasks/upload-2"), 403);
        // Without the field, the answer has no token at all.
        Assert.False((await writer.CreateTaskAsync("plain")).TryGetProperty("token", out _));
        // A bad token request writes nothing.
        await ProblemAsync(await writer.PostJsonAsync("/api/v1/tasks", """{"id":"bad","token":{"ttlSeconds":999999}}"""), 400, "token.ttlSeconds");
        await AssertMissingAsync(writer, "bad");
        // An idempotent create would store the token with its replay: refused, nothing written.
        await ProblemAsync(await writer.PostJsonAsync("/api/v1/tasks", """{"id":"idem","token":{}}""", idempotencyKey: "create-idem"), 400, "token");
        await AssertMissingAsync(writer, "idem");

        var wf = await (await writer.PostJsonAsync("/api/v1/workflows", """{"id":"wf","phases":[{"key":"a","label":"A","weight":1}],"token":{}}""")).ExpectAsync(201);
        await (await Bearer(host, wf.GetProperty("token").GetProperty("token").GetString()!).GetAsync("/api/v1/workflows/wf")).ExpectAsync(200);

        var runs = await (await writer.PostJsonAsync("/api/v1/runs", """{"runs":[{"type":"noop","queue":"none"}],"token":{"ttlSeconds":600}}""")).ExpectAsync(201);
        var runId = runs.GetProperty("runs")[0].GetProperty("id").GetString()!;
        var runReader = Bearer(host, runs.GetProperty("token").GetProperty("token").GetString()!);
        await (await runReader.GetAsync($"/api/v1/runs/{runId}")).ExpectAsync(200);
        await (await runReader.GetAsync($"/api/v1/tasks/{runId}")).ExpectAsync(200);
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_live_connection_is_warned_renewed_and_closed_4401_at_expiry(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var writer = host.Client(TestHost.WriteKey);
        await writer.CreateTaskAsync("t");
        // 32 s: the warning comes 30 s before expiry, so about 2 s after connecting.
        var shortLived = await MintAsync(writer, """["read:tasks:t"]""", ttlSeconds: 32);
        await using var renewed = await host.ConnectAsync($"/ws/task/t?access_token={shortLived}", key: null);
        await using var lapsing = await host.ConnectAsync($"/ws/task/t?access_token={shortLived}", key: null);

        foreach (var ws in new[] { renewed, lapsing })
        {
            var warning = await ws.ReceiveJsonAsync(TimeSpan.FromSeconds(20));
            Assert.Equal("token-expiring", warning.GetProperty("type").GetString());
        }
        // A token for something else is refused; the connection keeps its old expiry.
        await renewed.SendTextAsync(JsonSerializer.Serialize(new { type = "auth", token = await MintAsync(writer, """["read:tasks:other"]""") }));
        Assert.Equal("invalid_token", (await renewed.ReceiveJsonAsync()).GetProperty("code").GetString());
        await renewed.SendTextAsync(JsonSerializer.Serialize(new { type = "auth", token = await MintAsync(writer, """["read:tasks:t"]""", 3600) }));
        Assert.Equal("token-accepted", (await renewed.ReceiveJsonAsync()).GetProperty("type").GetString());

        // The one without a fresh token is closed with 4401 at expiry, naming where to resume.
        var closed = await lapsing.ReceiveTextAsync(TimeSpan.FromSeconds(60));
        Assert.Null(closed);
        Assert.Equal(4401, (int)lapsing.Socket.CloseStatus!.Value);
        Assert.Contains("after=", lapsing.Socket.CloseStatusDescription, StringComparison.Ordinal);
        // The renewed one still delivers.
        await (await writer.PostJsonAsync("/api/v1/tasks/t/progress", """{"progress":70}""")).ExpectAsync(200);
        Assert.Equal(70, (await renewed.ReceiveJsonAsync()).GetProperty("task").GetProperty("progress").GetDouble());
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task An_sse_stream_opened_with_a_token_ends_when_the_token_expires(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var writer = host.Client(TestHost.WriteKey);
        await writer.CreateTaskAsync("t");
        // Long enough that the stream opens and replays before expiry on a loaded machine (2 s was not).
        var token = await MintAsync(writer, """["read:tasks:t"]""", ttlSeconds: 8);

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        using var response = await host.Client(null).GetAsync($"/api/v1/tasks/t/stream?after=0&access_token={token}", HttpCompletionOption.ResponseHeadersRead, cts.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sse = new SseReader(await response.Content.ReadAsStreamAsync(cts.Token));
        Assert.Equal("1", (await sse.NextAsync(cts.Token))?.Id);
        // Nothing more is posted: the stream ends by itself at expiry, well before the test's deadline.
        while (await sse.NextAsync(cts.Token) is not null)
        {
        }
        Assert.False(cts.IsCancellationRequested);
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_websocket_can_present_its_token_in_the_first_message(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var writer = host.Client(TestHost.WriteKey);
        await writer.CreateTaskAsync("t");
        var token = await MintAsync(writer, """["read:tasks:t"]""");

        // Nothing in the URL: the token arrives as the first message.
        await using var ws = await host.ConnectAsync("/ws/task/t?auth=message", key: null);
        await ws.SendTextAsync(JsonSerializer.Serialize(new { type = "auth", token }));
        Assert.Equal("token-accepted", (await ws.ReceiveJsonAsync()).GetProperty("type").GetString());
        await (await writer.PostJsonAsync("/api/v1/tasks/t/progress", """{"progress":30}""")).ExpectAsync(200);
        Assert.Equal(30, (await ws.ReceiveJsonAsync()).GetProperty("task").GetProperty("progress").GetDouble());

        // A token for another task, or no token at all, closes the socket with 4401 and delivers nothing.
        await writer.CreateTaskAsync("other");
        foreach (var first in new[] { JsonSerializer.Serialize(new { type = "auth", token }), """{"type":"ping"}""" })
        {
            await using var refused = await host.ConnectAsync("/ws/task/other?auth=message&after=0", key: null);
            await refused.SendTextAsync(first);
            Assert.Null(await refused.ReceiveTextAsync());
            Assert.Equal(4401, (int)refused.Socket.CloseStatus!.Value);
        }
        // Without ?auth=message an upgrade with no credential is refused before it starts.
        await Assert.ThrowsAsync<WebSocketException>(() => host.ConnectAsync("/ws/task/t", key: null));
    }
}
