using System.Text.Json;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Examples;

/// <summary>examples/Embedded, an ASP.NET Core app hosting the whole server, run as a process on both engines.</summary>
public sealed class EmbeddedExampleTests
{
    private static async Task<ExampleApp> StartAsync(TestDatabase db) =>
        await ExampleApp.StartAsync("Embedded", "EmbeddedExample", new Dictionary<string, string> { ["ConnectionStrings__Spectral"] = db.Setting });

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task The_app_keeps_its_own_endpoints_and_serves_a_task_live(Engine engine)
    {
        await using var db = await TestDatabase.CreateAsync(engine);
        await using var app = await StartAsync(db);
        var anonymous = app.Client(key: null);
        var http = app.Client();

        // The app's GET / wins over the compatible surface's; its POST /orders writes through the server's services.
        Assert.StartsWith("Orders service", await anonymous.GetStringAsync("/"), StringComparison.Ordinal);
        var order = await (await anonymous.PostJsonAsync("/orders", """{"item":"lamp","quantity":2}""")).ExpectAsync(201);
        var orderTask = await (await http.GetAsync($"/api/v1/tasks/{order.GetProperty("taskId").GetString()}")).ExpectAsync(200);
        Assert.Equal("Fulfil 2 × lamp", orderTask.GetProperty("title").GetString());
        // The server's routes still need a key.
        Assert.Equal(401, (int)(await anonymous.GetAsync("/api/v1/tasks")).StatusCode);

        await http.CreateTaskAsync("embedded-1", ",\"title\":\"Encode\"");
        await using var live = await app.ConnectAsync("/api/v1/live");
        Assert.Equal("welcome", (await live.ReceiveJsonAsync()).GetProperty("type").GetString());
        await live.SendTextAsync("""{"type":"subscribe","id":"t","topic":"task:embedded-1"}""");
        var subscribed = await live.ReceiveJsonAsync();
        Assert.Equal("subscribed", subscribed.GetProperty("type").GetString());

        await (await http.PostJsonAsync("/api/v1/tasks/embedded-1/progress", """{"progress":42.5,"message":"half way"}""")).ExpectAsync(200);
        var change = await NextOfTypeAsync(live, "change");
        Assert.Equal("t", change.GetProperty("id").GetString());
        Assert.Equal(subscribed.GetProperty("seq").GetInt64() + 1, change.GetProperty("seq").GetInt64());
        Assert.Equal(42.5, change.GetProperty("entity").GetProperty("progress").GetDouble());
        Assert.Equal("progress", change.GetProperty("event").GetProperty("type").GetString());
    }

    /// <summary>The next message of <paramref name="type"/>, skipping heartbeats.</summary>
    private static async Task<JsonElement> NextOfTypeAsync(LiveClient live, string type)
    {
        while (true)
        {
            var message = await live.ReceiveJsonAsync();
            if (message.GetProperty("type").GetString() == type)
            {
                return message;
            }
            Assert.Equal("heartbeat", message.GetProperty("type").GetString());
        }
    }
}
