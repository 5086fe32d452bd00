using System.Text.Json;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Live.V2;

/// <summary>A protocol-v2 test client: sends JSON messages and waits for the next one matching a predicate.</summary>
public sealed class V2Client(LiveClient socket) : IAsyncDisposable
{
    public LiveClient Socket => socket;

    /// <summary>Everything received so far, in order (welcome and heartbeats included).</summary>
    public List<JsonElement> Received { get; } = [];

    public static async Task<V2Client> ConnectAsync(TestHost host, string? key = TestHost.ReadKey, string query = "")
    {
        var client = new V2Client(await host.ConnectAsync("/api/v1/live" + query, key: key));
        var welcome = await client.NextAsync(_ => true);
        Assert.Equal("welcome", welcome.GetProperty("type").GetString());
        return client;
    }

    public Task SendAsync(object message) => socket.SendTextAsync(JsonSerializer.Serialize(message));

    public Task SendRawAsync(string text) => socket.SendTextAsync(text);

    /// <summary>The next message for which <paramref name="match"/> holds; others are kept in <see cref="Received"/>.</summary>
    public async Task<JsonElement> NextAsync(Func<JsonElement, bool> match, TimeSpan? timeout = null)
    {
        while (true)
        {
            var m = await socket.ReceiveJsonAsync(timeout ?? TimeSpan.FromSeconds(20));
            Received.Add(m);
            if (match(m))
            {
                return m;
            }
        }
    }

    /// <summary>The next message of subscription <paramref name="id"/> (heartbeats skipped).</summary>
    public Task<JsonElement> NextOfAsync(string id, TimeSpan? timeout = null) =>
        NextAsync(m => m.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.String && i.GetString() == id, timeout);

    /// <summary>Messages of <paramref name="id"/> until (and including) the <c>change</c> with <paramref name="seq"/>.</summary>
    public async Task<List<JsonElement>> ChangesThroughAsync(string id, long seq)
    {
        var list = new List<JsonElement>();
        while (true)
        {
            var m = await NextOfAsync(id);
            if (m.GetProperty("type").GetString() == "change")
            {
                list.Add(m);
                if (m.GetProperty("seq").GetInt64() >= seq)
                {
                    return list;
                }
            }
        }
    }

    public ValueTask DisposeAsync() => socket.DisposeAsync();
}

internal static class V2Json
{
    public static string Type(this JsonElement m) => m.GetProperty("type").GetString()!;
}
