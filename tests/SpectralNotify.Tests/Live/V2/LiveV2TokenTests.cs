using SpectralNotify.Tests.Infrastructure;
using static SpectralNotify.Tests.Infrastructure.TokenClients;

namespace SpectralNotify.Tests.Live.V2;

/// <summary>Tokens on a v2 connection: warned before expiry, renewed in-band (subscriptions the new token does not cover end), closed 4401 otherwise, or presented in the first message.</summary>
public sealed class LiveV2TokenTests
{
    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_connection_is_warned_renewed_with_narrower_scopes_or_closed_4401(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var writer = host.Client(TestHost.WriteKey);
        await writer.CreateTaskAsync("a");
        await writer.CreateTaskAsync("b");
        // 32 s: the warning comes 30 s before expiry, so about 2 s after connecting.
        var shortLived = await MintAsync(writer, """["read:tasks:a","read:tasks:b"]""", ttlSeconds: 32);
        await using var renewed = await V2Client.ConnectAsync(host, key: null, query: "?access_token=" + shortLived);
        await using var lapsing = await V2Client.ConnectAsync(host, key: null, query: "?access_token=" + shortLived);
        foreach (var live in new[] { renewed, lapsing })
        {
            await live.SendAsync(new { type = "subscribe", id = "A", topic = "task:a" });
            await live.SendAsync(new { type = "subscribe", id = "B", topic = "task:b" });
            await live.NextAsync(m => m.Type() == "subscribed" && m.GetProperty("id").GetString() == "B");
            // The warning may already have come (before the subscriptions' answers) on a slow machine.
            var warning = live.Received.FirstOrDefault(m => m.Type() == "token-expiring") is { ValueKind: System.Text.Json.JsonValueKind.Object } early
                ? early
                : await live.NextAsync(m => m.Type() == "token-expiring", TimeSpan.FromSeconds(20));
            Assert.True(warning.TryGetProperty("expiresAt", out _));
        }
        await renewed.SendAsync(new { type = "auth", token = "not-a-token" });
        Assert.Equal("invalid-token", (await renewed.NextAsync(m => m.Type() == "error")).GetProperty("code").GetString());
        await renewed.SendAsync(new { type = "auth", token = await MintAsync(writer, """["read:tasks:a"]""", 3600) });
        await renewed.NextAsync(m => m.Type() == "token-accepted");
        var lost = await renewed.NextOfAsync("B");
        Assert.Equal("forbidden", lost.GetProperty("code").GetString());

        var closed = await lapsing.Socket.ReceiveTextAsync(TimeSpan.FromSeconds(60));
        while (closed is not null)
        {
            closed = await lapsing.Socket.ReceiveTextAsync(TimeSpan.FromSeconds(60));
        }
        Assert.Equal(4401, (int)lapsing.Socket.Socket.CloseStatus!.Value);

        await (await writer.PostJsonAsync("/api/v1/tasks/a/progress", """{"progress":70}""")).ExpectAsync(200);
        var change = await renewed.NextOfAsync("A");
        Assert.Equal(70, change.GetProperty("entity").GetProperty("progress").GetDouble());
    }

    [Fact]
    public async Task A_token_can_come_in_the_first_message()
    {
        await using var host = await TestHost.StartAsync(Engine.Sqlite);
        var writer = host.Client(TestHost.WriteKey);
        await writer.CreateTaskAsync("t");
        var token = await MintAsync(writer, """["read:tasks:t"]""");
        await using var socket = await host.ConnectAsync("/api/v1/live?auth=message", key: null);
        await socket.SendTextAsync(System.Text.Json.JsonSerializer.Serialize(new { type = "auth", token }));
        Assert.Equal("token-accepted", (await socket.ReceiveJsonAsync()).GetProperty("type").GetString());
        await using var live = new V2Client(socket);
        await live.NextAsync(m => m.Type() == "welcome");
        await live.SendAsync(new { type = "subscribe", id = "s", topic = "task:t" });
        Assert.Equal("subscribed", (await live.NextOfAsync("s")).Type());
    }
}
