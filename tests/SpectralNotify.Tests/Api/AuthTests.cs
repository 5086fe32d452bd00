using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using SpectralNotify.Tests.Infrastructure;
using static SpectralNotify.Tests.Api.ApiAssert;

namespace SpectralNotify.Tests.Api;

/// <summary>API keys and scopes: read ⊂ write ⊂ admin, opt-in anonymous reads, Bearer, keys in URLs, the generated admin key.</summary>
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
        new("sessions", HttpMethod.Get, "/api/v1/sessions", null),
        new("config", HttpMethod.Get, "/api/v1/config", null),
        new("delete", HttpMethod.Delete, $"{TasksPath}/t", null),
    ];

    /// <summary>Routes that read, and need at least a read key unless anonymous reads are opened.</summary>
    private static readonly Route[] Reads =
    [
        new("get", HttpMethod.Get, $"{TasksPath}/t", null),
        new("events", HttpMethod.Get, $"{TasksPath}/t/events", null),
        new("list", HttpMethod.Get, TasksPath, null),
        new("list filtered", HttpMethod.Get, $"{TasksPath}?status=pending&limit=5", null),
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

        await ExpectDeniedAsync(host.Client(null), [.. Mutations, .. AdminOnly, .. Reads], 401, admin);
        await ExpectDeniedAsync(host.Client("not-a-key"), [.. Mutations, .. AdminOnly, .. Reads], 401, admin);
        var bearerWrong = host.Client(null);
        bearerWrong.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-key");
        await ExpectDeniedAsync(bearerWrong, [.. Mutations, .. AdminOnly, .. Reads], 401, admin);
        // An empty or whitespace key is refused, not read as "no key" (U+00A0 trims to nothing).
        await ExpectDeniedAsync(host.Client(""), Reads, 401, admin);
        var blank = host.Client(null);
        blank.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer \t ");
        await ExpectDeniedAsync(blank, Reads, 401, admin);
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

        foreach (var r in Reads)
        {
            await (await SendAsync(reader, r)).ExpectAsync(200);
        }
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_write_key_mutates_and_lists_but_cannot_delete(Engine engine)
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

        await (await writer.GetAsync(TasksPath)).ExpectAsync(200);

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
        await ProblemAsync(await bearerWriter.GetAsync("/api/v1/sessions"), 403);

        // The scheme name is case-insensitive.
        var lower = host.Client(null);
        lower.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "bearer " + TestHost.AdminKey);
        await (await lower.GetAsync(TasksPath)).ExpectAsync(200);

        // Basic is not an API key.
        var basic = host.Client(null);
        basic.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", TestHost.AdminKey);
        await ProblemAsync(await basic.GetAsync(TasksPath), 401);

        // ?apiKey= is only for live endpoints (browsers cannot set headers on EventSource and
        // WebSocket), and there it only reads: a key in a URL leaks into logs and history.
        var anonymous = host.Client(null);
        await ProblemAsync(await anonymous.GetAsync($"{TasksPath}?apiKey={TestHost.AdminKey}"), 401);
        await ProblemAsync(await anonymous.GetAsync($"{TasksPath}/t?apiKey={TestHost.AdminKey}"), 401);
        await ProblemAsync(await anonymous.PostJsonAsync($"{TasksPath}?apiKey={TestHost.AdminKey}", """{"id":"q"}"""), 401);
        await AssertMissingAsync(bearerAdmin, "q");
        Assert.Equal(200, await StreamStatusAsync(anonymous, "t", $"?apiKey={TestHost.AdminKey}"));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await WebSocketStatusAsync(host, $"/ws/task/t?apiKey={TestHost.ReadKey}"));
        Assert.Equal(HttpStatusCode.Unauthorized, await WebSocketStatusAsync(host, "/ws/task/t?apiKey=not-a-key-but-long-enough-000"));
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Nothing_is_anonymous_by_default_on_either_surface(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        await host.Client().CreateTaskAsync("t");
        var anonymous = host.Client(null);

        await ProblemAsync(await anonymous.GetAsync($"{TasksPath}/t"), 401, "API key");
        await ProblemAsync(await anonymous.GetAsync($"{TasksPath}/t/events"), 401, "API key");
        await ProblemAsync(await anonymous.GetAsync($"{TasksPath}/ghost"), 401);
        await ProblemAsync(await anonymous.GetAsync("/api/v1/counters/c"), 401);
        Assert.Equal(401, await StreamStatusAsync(anonymous, "t"));
        Assert.Equal(HttpStatusCode.Unauthorized, await WebSocketStatusAsync(host, "/ws/task/t"));
        foreach (var procedure in new[] { "tasks/getAll", "tasks/getById", "workflows/getAll", "workflows/getById", "counter/getValue" })
        {
            var r = await anonymous.PostJsonAsync("/" + procedure, """{"taskId":"t","workflowId":"w","name":"c"}""");
            Assert.True(r.StatusCode == HttpStatusCode.Unauthorized, $"{procedure}: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
        }

        foreach (var key in new[] { TestHost.ReadKey, TestHost.WriteKey, TestHost.AdminKey })
        {
            var client = host.Client(key);
            await (await client.GetAsync($"{TasksPath}/t")).ExpectAsync(200);
            await (await client.GetAsync($"{TasksPath}/t/events")).ExpectAsync(200);
            await (await client.PostJsonAsync("/tasks/getAll", "{}")).ExpectAsync(200);
            Assert.Equal(200, await StreamStatusAsync(client, "t"));
        }
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Anonymous_reads_by_id_open_single_reads_but_not_lists(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine, new Dictionary<string, string?> { ["Auth:AnonymousReads"] = "ById" });
        await host.Client().CreateTaskAsync("t");
        var anonymous = host.Client(null);

        Assert.Equal("t", (await (await anonymous.GetAsync($"{TasksPath}/t")).ExpectAsync(200)).GetProperty("id").GetString());
        Assert.Equal(1, (await (await anonymous.GetAsync($"{TasksPath}/t/events")).ExpectAsync(200)).GetProperty("data").GetArrayLength());
        Assert.Equal(200, await StreamStatusAsync(anonymous, "t"));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await WebSocketStatusAsync(host, "/ws/task/t"));
        await (await anonymous.PostJsonAsync("/tasks/getById", """{"taskId":"t"}""")).ExpectAsync(200);
        // Listing is not a read of one task, on either surface.
        await ProblemAsync(await anonymous.GetAsync(TasksPath), 401);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostJsonAsync("/tasks/getAll", "{}")).StatusCode);
        // A key that does not authenticate is refused even where nobody would be let in.
        await ProblemAsync(await host.Client("not-a-key-but-long-enough-000").GetAsync($"{TasksPath}/t"), 401);
        await ExpectDeniedAsync(anonymous, Mutations, 401, host.Client());
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Anonymous_reads_all_is_the_reference_servers_public_getAll(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine, new Dictionary<string, string?> { ["Auth:AnonymousReads"] = "All" });
        await host.Client().CreateTaskAsync("t");
        var anonymous = host.Client(null);

        await (await anonymous.PostJsonAsync("/tasks/getAll", "{}")).ExpectAsync(200);
        await (await anonymous.GetAsync(TasksPath)).ExpectAsync(200);
        await ProblemAsync(await anonymous.GetAsync("/api/v1/sessions"), 401);
        await ProblemAsync(await anonymous.GetAsync("/api/v1/config"), 401);
        await ExpectDeniedAsync(anonymous, Mutations, 401, host.Client());
    }

    [Fact]
    public async Task Credentials_in_live_urls_never_reach_a_log_line()
    {
        var log = new ErrorLog(Microsoft.Extensions.Logging.LogLevel.Information);
        await using var host = await TestHost.StartAsync(Engine.Sqlite,
            new Dictionary<string, string?> { ["Logging:LogLevel:Microsoft.AspNetCore"] = "Information" },
            services: s => s.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(log));
        await host.Client().CreateTaskAsync("t");
        var anonymous = host.Client(null);
        Assert.Equal(200, await StreamStatusAsync(anonymous, "t", $"?apiKey={TestHost.ReadKey}&after=1"));
        Assert.Equal(401, await StreamStatusAsync(anonymous, "t", "?access_token=not.a.token"));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await WebSocketStatusAsync(host, $"/ws/task/t?APIKEY={TestHost.ReadKey}"));

        var lines = log.Entries.ToList();
        Assert.Contains(lines, l => l.Contains("/api/v1/tasks/t/stream?apiKey=***", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("access_token=***", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(TestHost.ReadKey, StringComparison.Ordinal) || l.Contains("not.a.token", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_replaced_public_reads_setting_is_refused_at_start()
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(() => TestHost.StartAsync(Engine.Sqlite, new Dictionary<string, string?> { ["Auth:PublicReads"] = "true" }));
        Assert.Contains("Auth:AnonymousReads", e.ToString(), StringComparison.Ordinal);
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
