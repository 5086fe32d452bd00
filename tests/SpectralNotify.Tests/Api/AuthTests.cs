using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using SpectralNotify.Tests.Infrastructure;
using static SpectralNotify.Tests.Api.ApiAssert;

namespace SpectralNotify.Tests.Api;

/// <summary>API keys and scopes: read ⊂ write ⊂ admin, public single-task reads, Bearer, the generated admin key.</summary>
public sealed class AuthTests
{
    private sealed record Route(string Name, HttpMethod Method, string Path, string? Body);

    /// <summary>Every route that changes something, against task <c>t</c>.</summary>
    private static readonly Route[] Mutations =
    [
        new("create", HttpMethod.Post, TasksPath, """{"id":"new"}"""),
        new("batch", HttpMethod.Post, $"{TasksPath}/batch", """{"operations":[{"op":"create","id":"new"}]}"""),
        new("patch", HttpMethod.Patch, $"{TasksPath}/t", """{"title":"x"}"""),
        new("event", HttpMethod.Post, $"{TasksPath}/t/events", """{"type":"log","message":"m"}"""),
        new("progress", HttpMethod.Post, $"{TasksPath}/t/progress", """{"progress":5}"""),
        new("complete", HttpMethod.Post, $"{TasksPath}/t/complete", "{}"),
        new("fail", HttpMethod.Post, $"{TasksPath}/t/fail", """{"error":"e"}"""),
        new("cancel", HttpMethod.Post, $"{TasksPath}/t/cancel", "{}"),
        new("delete", HttpMethod.Delete, $"{TasksPath}/t", null),
    ];

    /// <summary>Routes only an admin key may use.</summary>
    private static readonly Route[] AdminOnly =
    [
        new("list", HttpMethod.Get, TasksPath, null),
        new("list filtered", HttpMethod.Get, $"{TasksPath}?status=pending&limit=5", null),
        new("sessions", HttpMethod.Get, "/api/v1/sessions", null),
        new("delete", HttpMethod.Delete, $"{TasksPath}/t", null),
    ];

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, Route r) => await client.SendAsync(r.Method, r.Path, r.Body);

    private static async Task ExpectDeniedAsync(HttpClient client, IEnumerable<Route> routes, int status, HttpClient admin)
    {
        var before = await SnapshotAsync(admin, "t");
        foreach (var r in routes)
        {
            try
            {
                await ProblemAsync(await SendAsync(client, r), status, status == 401 ? "API key" : "scope");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Assert.Fail($"[{r.Name}] {e.Message}");
            }
        }
        Assert.Equal(before, await SnapshotAsync(admin, "t"));
        await AssertMissingAsync(admin, "new");
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task No_key_or_a_wrong_key_is_401_on_mutations_and_admin_routes(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var admin = host.Client();
        await admin.CreateTaskAsync("t");

        await ExpectDeniedAsync(host.Client(null), [.. Mutations, .. AdminOnly], 401, admin);
        await ExpectDeniedAsync(host.Client("not-a-key"), [.. Mutations, .. AdminOnly], 401, admin);
        var bearerWrong = host.Client(null);
        bearerWrong.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-key");
        await ExpectDeniedAsync(bearerWrong, [.. Mutations, .. AdminOnly], 401, admin);
        // A key differing only in case is a different key.
        await ExpectDeniedAsync(host.Client(TestHost.AdminKey.ToUpperInvariant()), AdminOnly, 401, admin);
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_read_key_is_403_on_every_mutation_and_admin_route(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var admin = host.Client();
        await admin.CreateTaskAsync("t");
        var reader = host.Client(TestHost.ReadKey);

        await ExpectDeniedAsync(reader, [.. Mutations, .. AdminOnly], 403, admin);

        await (await reader.GetAsync($"{TasksPath}/t")).ExpectAsync(200);
        await (await reader.GetAsync($"{TasksPath}/t/events")).ExpectAsync(200);
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_write_key_mutates_but_cannot_list_or_delete(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var admin = host.Client();
        var writer = host.Client(TestHost.WriteKey);

        var created = await writer.CreateTaskAsync("t");
        Assert.Equal("writer", created.GetProperty("createdBy").GetString());
        await (await writer.PatchJsonAsync($"{TasksPath}/t", """{"title":"x"}""", "\"1\"")).ExpectAsync(200);
        await (await writer.PostJsonAsync($"{TasksPath}/t/events", """{"type":"log","message":"m"}""")).ExpectAsync(201);
        await (await writer.PostJsonAsync($"{TasksPath}/t/progress", """{"progress":5}""")).ExpectAsync(200);
        await (await writer.PostJsonAsync($"{TasksPath}/batch", """{"operations":[{"op":"create","id":"b"},{"op":"cancel","id":"b"}]}""")).ExpectAsync(200);
        await writer.CreateTaskAsync("f");
        await (await writer.PostJsonAsync($"{TasksPath}/f/fail", """{"error":"e"}""")).ExpectAsync(200);
        await (await writer.PostJsonAsync($"{TasksPath}/t/complete", "{}")).ExpectAsync(200);
        await (await writer.GetAsync($"{TasksPath}/t")).ExpectAsync(200);
        await (await writer.GetAsync($"{TasksPath}/t/events")).ExpectAsync(200);

        await ExpectDeniedAsync(writer, AdminOnly, 403, admin);
        await (await writer.GetAsync($"{TasksPath}/t")).ExpectAsync(200);
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task An_admin_key_can_use_every_route(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var admin = host.Client();

        Assert.Equal("admin", (await admin.CreateTaskAsync("t")).GetProperty("createdBy").GetString());
        await (await admin.PatchJsonAsync($"{TasksPath}/t", """{"title":"x"}""")).ExpectAsync(200);
        await (await admin.PostJsonAsync($"{TasksPath}/t/events", """{"type":"log","message":"m"}""")).ExpectAsync(201);
        await (await admin.PostJsonAsync($"{TasksPath}/t/progress", """{"progress":5}""")).ExpectAsync(200);
        await (await admin.PostJsonAsync($"{TasksPath}/batch", """{"operations":[{"op":"create","id":"b"}]}""")).ExpectAsync(200);
        await (await admin.PostJsonAsync($"{TasksPath}/b/fail", """{"error":"e"}""")).ExpectAsync(200);
        await admin.CreateTaskAsync("c");
        await (await admin.PostJsonAsync($"{TasksPath}/c/cancel", "{}")).ExpectAsync(200);
        await (await admin.PostJsonAsync($"{TasksPath}/t/complete", "{}")).ExpectAsync(200);
        await (await admin.GetAsync($"{TasksPath}/t")).ExpectAsync(200);
        await (await admin.GetAsync($"{TasksPath}/t/events")).ExpectAsync(200);
        Assert.Equal(["c", "b", "t"], Ids(await (await admin.GetAsync(TasksPath)).ExpectAsync(200)));
        await (await admin.GetAsync("/api/v1/sessions")).ExpectAsync(200);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"{TasksPath}/t")).StatusCode);
        await AssertMissingAsync(admin, "t");
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Bearer_tokens_and_get_query_keys_are_accepted(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);

        var bearerAdmin = host.Client(null);
        bearerAdmin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestHost.AdminKey);
        await (await bearerAdmin.GetAsync(TasksPath)).ExpectAsync(200);

        var bearerWriter = host.Client(null);
        bearerWriter.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestHost.WriteKey);
        Assert.Equal("writer", (await bearerWriter.CreateTaskAsync("t")).GetProperty("createdBy").GetString());
        await ProblemAsync(await bearerWriter.GetAsync(TasksPath), 403);

        // The scheme name is case-insensitive.
        var lower = host.Client(null);
        lower.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "bearer " + TestHost.AdminKey);
        await (await lower.GetAsync(TasksPath)).ExpectAsync(200);

        // Basic is not an API key.
        var basic = host.Client(null);
        basic.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", TestHost.AdminKey);
        await ProblemAsync(await basic.GetAsync(TasksPath), 401);

        // ?apiKey= is for GETs only (browsers cannot set headers on EventSource and WebSocket).
        var anonymous = host.Client(null);
        await (await anonymous.GetAsync($"{TasksPath}?apiKey={TestHost.AdminKey}")).ExpectAsync(200);
        await ProblemAsync(await anonymous.GetAsync($"{TasksPath}?apiKey={TestHost.ReadKey}"), 403);
        await ProblemAsync(await anonymous.PostJsonAsync($"{TasksPath}?apiKey={TestHost.AdminKey}", """{"id":"q"}"""), 401);
        await AssertMissingAsync(bearerAdmin, "q");
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Reads_of_one_task_are_public_by_default(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        await host.Client().CreateTaskAsync("t");
        var anonymous = host.Client(null);

        Assert.Equal("t", (await (await anonymous.GetAsync($"{TasksPath}/t")).ExpectAsync(200)).GetProperty("id").GetString());
        Assert.Equal(1, (await (await anonymous.GetAsync($"{TasksPath}/t/events")).ExpectAsync(200)).GetProperty("data").GetArrayLength());
        Assert.Equal(200, await StreamStatusAsync(anonymous, "t"));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await WebSocketStatusAsync(host, "/ws/task/t"));
        // Listing is not a read of one task.
        await ProblemAsync(await anonymous.GetAsync(TasksPath), 401);
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task With_public_reads_off_reads_need_a_key(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine, new Dictionary<string, string?> { ["Auth:PublicReads"] = "false" });
        await host.Client().CreateTaskAsync("t");
        var anonymous = host.Client(null);

        await ProblemAsync(await anonymous.GetAsync($"{TasksPath}/t"), 401, "API key");
        await ProblemAsync(await anonymous.GetAsync($"{TasksPath}/t/events"), 401, "API key");
        await ProblemAsync(await anonymous.GetAsync($"{TasksPath}/ghost"), 401);
        Assert.Equal(401, await StreamStatusAsync(anonymous, "t"));
        Assert.Equal(HttpStatusCode.Unauthorized, await WebSocketStatusAsync(host, "/ws/task/t"));
        await ProblemAsync(await host.Client("not-a-key").GetAsync($"{TasksPath}/t"), 401);

        foreach (var key in new[] { TestHost.ReadKey, TestHost.WriteKey, TestHost.AdminKey })
        {
            var client = host.Client(key);
            await (await client.GetAsync($"{TasksPath}/t")).ExpectAsync(200);
            await (await client.GetAsync($"{TasksPath}/t/events")).ExpectAsync(200);
            Assert.Equal(200, await StreamStatusAsync(client, "t"));
        }
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await WebSocketStatusAsync(host, $"/ws/task/t?apiKey={TestHost.ReadKey}"));
        Assert.Equal(200, await StreamStatusAsync(anonymous, "t", $"?apiKey={TestHost.ReadKey}"));
        await ProblemAsync(await host.Client(TestHost.ReadKey).GetAsync(TasksPath), 403);
    }

    /// <summary>The status of <c>GET /api/v1/tasks/{id}/stream</c>, without waiting for the stream to end.</summary>
    private static async Task<int> StreamStatusAsync(HttpClient client, string id, string query = "")
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{TasksPath}/{id}/stream{query}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/problem+json", 0.5));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        if (response.IsSuccessStatusCode)
        {
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        }
        else
        {
            Assert.True(response.IsProblem(), $"Expected a problem, got {response.Content.Headers.ContentType}");
        }
        return (int)response.StatusCode;
    }

    /// <summary>The handshake status of a WebSocket connection (101 when it opened).</summary>
    private static async Task<HttpStatusCode> WebSocketStatusAsync(TestHost host, string pathAndQuery)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await socket.ConnectAsync(host.WebSocketUri(pathAndQuery), cts.Token);
        }
        catch (WebSocketException)
        {
            return socket.HttpStatusCode;
        }
        var status = socket.HttpStatusCode;
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", cts.Token);
        return status;
    }

    [Fact]
    public async Task Without_a_configured_admin_key_one_is_generated_into_the_data_folder()
    {
        // SQLite only: the key file lives next to the database file.
        var settings = new Dictionary<string, string?> { ["SPECTRAL_API_KEY"] = "", ["SPECTRAL_NOTIFY_API_KEY"] = "" };
        await using var host = await TestHost.StartAsync(Engine.Sqlite, settings);
        var path = Path.Combine(host.Database.Folder!, "admin.key");
        Assert.True(File.Exists(path), $"{path} was not written");
        var key = (await File.ReadAllTextAsync(path)).Trim();
        Assert.StartsWith("sn_", key, StringComparison.Ordinal);
        Assert.True(key.Length >= 40, $"Generated key '{key}' is short");
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        var admin = host.Client(key);
        await admin.CreateTaskAsync("t");
        await (await admin.GetAsync(TasksPath)).ExpectAsync(200);
        Assert.Equal("admin", (await SnapshotRawAsync(admin, "t")).GetProperty("createdBy").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"{TasksPath}/t")).StatusCode);
        // The test's usual admin key is not configured here; the other configured keys still work.
        await ProblemAsync(await host.Client(TestHost.AdminKey).GetAsync(TasksPath), 401);
        await host.Client(TestHost.WriteKey).CreateTaskAsync("w");

        // A second server on the same data folder reuses the key instead of generating another.
        await using var second = await TestHost.StartAsync(Engine.Sqlite, settings, host.Database);
        Assert.Equal(key, (await File.ReadAllTextAsync(path)).Trim());
        await (await second.Client(key).GetAsync(TasksPath)).ExpectAsync(200);
    }

    private static async Task<System.Text.Json.JsonElement> SnapshotRawAsync(HttpClient client, string id) =>
        await (await client.GetAsync($"{TasksPath}/{id}")).ExpectAsync(200);
}
