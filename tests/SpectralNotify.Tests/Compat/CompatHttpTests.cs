using System.Net;
using System.Net.WebSockets;
using System.Net.Http.Headers;
using System.Text;
using SpectralNotify.Tests.Infrastructure;
using static SpectralNotify.Tests.Compat.CompatTaskTests;

namespace SpectralNotify.Tests.Compat;

/// <summary>The compatible HTTP surface's framing: RPC encoding, plain routes, CORS, unmatched paths and unreadable bodies (protocol §1).</summary>
public sealed class CompatHttpTests
{
    [Fact]
    public async Task Plain_routes_health_and_unmatched_paths_answer_as_the_reference()
    {
        await using var host = await TestHost.StartAsync(Engine.Sqlite);
        var http = host.Client(null);
        Assert.Equal("OK", await http.GetStringAsync("/"));
        Assert.Contains("\"buildId\":", await http.GetStringAsync("/__version"));
        Assert.Equal("\"OK\"", await TextAsync(await http.PostAsync("/healthCheck", null), 200));
        Assert.Equal("""{"json":"OK"}""", await TextAsync(await http.PostAsync("/rpc/healthCheck", null), 200));
        Assert.Equal("\"OK\"", await TextAsync(await http.PostAsync("/healthCheck/", null), 200));

        foreach (var (method, path) in new[] { (HttpMethod.Post, "/nothing/here"), (HttpMethod.Post, "/Tasks/getAll"), (HttpMethod.Get, "/tasks/getById") })
        {
            var r = await http.SendAsync(new HttpRequestMessage(method, path));
            Assert.Equal((404, "text/plain", "404 Not Found"), ((int)r.StatusCode, r.Content.Headers.ContentType?.MediaType, await r.Content.ReadAsStringAsync()));
        }
        Assert.Equal("""{"json":{"defined":false,"code":"METHOD_NOT_SUPPORTED","status":405,"message":"Method Not Supported"}}""",
            await TextAsync(await http.GetAsync("/rpc/tasks/getAll"), 405));
        var ws = await host.Client(TestHost.ReadKey).GetAsync("/ws/task/t1");
        Assert.Equal((426, "Expected WebSocket upgrade"), ((int)ws.StatusCode, await ws.Content.ReadAsStringAsync()));
        Assert.True((await http.GetAsync("/api/v1/nothing")).IsProblem());
    }

    [Fact]
    public async Task Rpc_wraps_input_output_and_errors_in_json()
    {
        await using var host = await TestHost.StartAsync(Engine.Sqlite);
        var http = host.Client();
        var created = await TextAsync(await http.PostJsonAsync("/rpc/tasks/create", """{"json":{"id":"r1","status":"pending","metadata":{}}}""", "rpc-1"), 200);
        Assert.Equal("""{"json":{"success":true,"taskId":"r1","__idempotency":{"cached":false,"key":"rpc-1"}}}""", created);
        // REST and RPC are two encodings of one procedure: the key replays across them.
        Assert.StartsWith("""{"success":true,"taskId":"r1","__idempotency":{"cached":true,"cachedAt":""",
            await TextAsync(await http.PostJsonAsync("/tasks/create", """{"id":"r1","status":"pending","metadata":{}}""", "rpc-1"), 200));
        Assert.StartsWith("""{"json":{"defined":false,"code":"BAD_REQUEST","status":400,"message":"Input validation failed","data":{"issues":[{"expected":"string","code":"invalid_type","path":["taskId"]""",
            await TextAsync(await http.PostJsonAsync("/rpc/tasks/getById", """{"json":{"taskId":5}}"""), 400));
        var list = await TextAsync(await http.PostJsonAsync("/rpc/tasks/getAll", ""), 200);
        Assert.EndsWith("""],"meta":[[1,0,"createdAt"],[1,0,"updatedAt"],[1,0,"lastEvent","timestamp"]]}""", list);
    }

    [Fact]
    public async Task Unreadable_bodies_are_400_before_auth_and_oversized_ones_413()
    {
        await using var host = await TestHost.StartAsync(Engine.Sqlite);
        var anonymous = host.Client(null);
        Assert.Equal("""{"defined":false,"code":"BAD_REQUEST","status":400,"message":"Malformed request. Ensure the request body is properly formatted and the 'Content-Type' header is set correctly."}""",
            await TextAsync(await anonymous.PostJsonAsync("/tasks/create", "{not json"), 400));
        Assert.Contains("\"code\":\"UNAUTHORIZED\"", await TextAsync(await anonymous.PostAsync("/tasks/getById", null), 401));
        // Validation comes after authorization, as in the reference.
        var reader = host.Client(TestHost.ReadKey);
        Assert.Equal("""{"defined":false,"code":"BAD_REQUEST","status":400,"message":"Input validation failed","data":{"issues":[{"expected":"object","code":"invalid_type","path":[],"message":"Invalid input: expected object, received undefined"}]}}""",
            await TextAsync(await reader.PostAsync("/tasks/getById", null), 400));
        var text = new StringContent("hello", Encoding.UTF8, "text/plain");
        Assert.Contains("expected object, received string", await TextAsync(await reader.PostAsync("/tasks/getById", text), 400));
        // Expect: 100-continue lets the server refuse before the body is sent, so the client reads the
        // 413 instead of racing the connection close with a 1 MB upload.
        var huge = new HttpRequestMessage(HttpMethod.Post, "/tasks/getById")
        {
            Content = HttpJson.Body("{\"taskId\":\"" + new string('x', 1_100_000) + "\"}"),
        };
        huge.Headers.ExpectContinue = true;
        Assert.Contains("\"code\":\"PAYLOAD_TOO_LARGE\"", await TextAsync(await anonymous.SendAsync(huge), 413));
        Assert.Contains("Task ID must be less than 100 characters",
            await TextAsync(await reader.PostJsonAsync("/tasks/getById", "{\"taskId\":\"" + new string('x', 101) + "\"}"), 400));
        Assert.Contains("NUL", await TextAsync(await host.Client().PostJsonAsync("/tasks/create", """{"id":"a\u0000b","status":"pending","metadata":{}}""", "nul"), 400));
    }

    [Fact]
    public async Task No_origin_gets_cors_headers_by_default()
    {
        await using var host = await TestHost.StartAsync(Engine.Sqlite);
        var http = host.Client(null);
        var r = await http.SendAsync(Preflight("https://evil.example"));
        Assert.False(r.Headers.Contains("Access-Control-Allow-Origin"), "an unlisted origin got CORS headers");
        Assert.False(r.Headers.Contains("Access-Control-Allow-Credentials"));
        var get = new HttpRequestMessage(HttpMethod.Post, "/healthCheck");
        get.Headers.Add("Origin", "https://evil.example");
        Assert.False((await http.SendAsync(get)).Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task A_listed_origin_gets_cors_with_credentials_and_others_get_nothing()
    {
        await using var host = await TestHost.StartAsync(Engine.Sqlite,
            new Dictionary<string, string?> { ["Cors:Origins"] = "http://app.example,https://notify.example.com" });
        var http = host.Client(null);
        var r = await http.SendAsync(Preflight("http://app.example"));
        Assert.Equal(204, (int)r.StatusCode);
        Assert.Equal("http://app.example", r.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("true", r.Headers.GetValues("Access-Control-Allow-Credentials").Single());
        Assert.Contains("Idempotency-Key", r.Headers.GetValues("Access-Control-Allow-Headers").Single());

        var get = new HttpRequestMessage(HttpMethod.Post, "/healthCheck");
        get.Headers.Add("Origin", "https://notify.example.com");
        var answer = await http.SendAsync(get);
        Assert.Equal("https://notify.example.com", answer.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal(new MediaTypeHeaderValue("application/json").MediaType, answer.Content.Headers.ContentType?.MediaType);

        // Exact match only: another scheme, port or a suffix is another origin.
        foreach (var other in new[] { "https://app.example", "http://app.example:8080", "http://app.example.evil.example", "null" })
        {
            Assert.False((await http.SendAsync(Preflight(other))).Headers.Contains("Access-Control-Allow-Origin"), other);
        }
    }

    [Fact]
    public async Task WebSocket_upgrades_from_a_foreign_origin_are_refused()
    {
        await using var host = await TestHost.StartAsync(Engine.Sqlite, new Dictionary<string, string?> { ["Cors:Origins"] = "http://app.example" });
        await host.Client().CreateTaskAsync("t1");
        Assert.Equal(HttpStatusCode.Forbidden, await UpgradeStatusAsync(host, "https://evil.example"));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await UpgradeStatusAsync(host, "http://app.example"));
        // The server's own pages are same-origin; clients outside a browser send no Origin at all.
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await UpgradeStatusAsync(host, $"http://{host.BaseAddress.Authority}"));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await UpgradeStatusAsync(host, null));
    }

    private static HttpRequestMessage Preflight(string origin)
    {
        var preflight = new HttpRequestMessage(HttpMethod.Options, "/tasks/create");
        preflight.Headers.Add("Origin", origin);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type,x-api-key,idempotency-key");
        return preflight;
    }

    private static async Task<HttpStatusCode> UpgradeStatusAsync(TestHost host, string? origin)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("X-API-Key", TestHost.ReadKey);
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await socket.ConnectAsync(host.WebSocketUri("/ws/task/t1"), cts.Token);
        }
        catch (WebSocketException)
        {
            return socket.HttpStatusCode;
        }
        var status = socket.HttpStatusCode;
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", cts.Token);
        return status;
    }
}
