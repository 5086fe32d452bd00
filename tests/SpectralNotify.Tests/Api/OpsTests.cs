using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using SpectralNotify.Tests.Infrastructure;
using static SpectralNotify.Tests.Api.ApiAssert;

namespace SpectralNotify.Tests.Api;

/// <summary>Health, readiness, metrics, the OpenAPI document and the docs UI; none needs a key.</summary>
public sealed partial class OpsTests
{
    [GeneratedRegex(@"^spectral_http_requests_total\{code=""(\dxx)""\} (\d+)$", RegexOptions.Multiline)]
    private static partial Regex RequestCounter();

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Healthz_and_readyz_answer_200_without_a_key(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var anonymous = host.Client(null);

        var health = await anonymous.GetAsync("/healthz");
        Assert.Equal(200, (int)health.StatusCode);
        Assert.Equal("ok", await health.Content.ReadAsStringAsync());

        var ready = await anonymous.GetAsync("/readyz");
        Assert.Equal(200, (int)ready.StatusCode);
        Assert.Equal("ready", await ready.Content.ReadAsStringAsync());
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Metrics_are_prometheus_text_with_request_and_connection_counters(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var anonymous = host.Client(null);
        var admin = host.Client();
        await admin.CreateTaskAsync("t");
        await ProblemAsync(await anonymous.PostJsonAsync(TasksPath, "{}"), 401);
        await ProblemAsync(await admin.PostJsonAsync($"{TasksPath}/t/progress", """{"progress":-1}"""), 400);

        var r = await anonymous.GetAsync("/metrics");
        Assert.Equal(200, (int)r.StatusCode);
        Assert.Equal("text/plain", r.Content.Headers.ContentType?.MediaType);
        var text = await r.Content.ReadAsStringAsync();
        Assert.Contains("# TYPE spectral_http_requests_total counter", text, StringComparison.Ordinal);
        Assert.Contains("spectral_http_requests_total", text, StringComparison.Ordinal);
        Assert.Contains("spectral_live_connections", text, StringComparison.Ordinal);
        Assert.Contains("spectral_live_connections{transport=\"websocket\"} 0", text, StringComparison.Ordinal);

        var counts = RequestCounter().Matches(text).ToDictionary(m => m.Groups[1].Value, m => long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
        Assert.Equal(["1xx", "2xx", "3xx", "4xx", "5xx"], counts.Keys.Order());
        Assert.True(counts["2xx"] >= 1, text);
        Assert.True(counts["4xx"] >= 2, text);
        Assert.Equal(0, counts["5xx"]);

        // An open WebSocket is counted while it lasts.
        await using (var live = await host.ConnectAsync("/ws/task/t"))
        {
            await Eventually.TrueAsync(async () =>
                (await anonymous.GetStringAsync("/metrics")).Contains("spectral_live_connections{transport=\"websocket\"} 1", StringComparison.Ordinal),
                "/metrics counts the open WebSocket");
        }
        await Eventually.TrueAsync(async () =>
            (await anonymous.GetStringAsync("/metrics")).Contains("spectral_live_connections{transport=\"websocket\"} 0", StringComparison.Ordinal),
            "/metrics no longer counts the closed WebSocket");
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task The_openapi_document_lists_the_v1_routes(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var r = await host.Client(null).GetAsync("/openapi/v1.json");
        var doc = await r.ExpectAsync(200);
        Assert.Equal("application/json", r.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("3.", doc.GetProperty("openapi").GetString(), StringComparison.Ordinal);

        var paths = doc.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/v1/tasks/{id}/progress", out var progress), "Missing /api/v1/tasks/{id}/progress");
        Assert.True(progress.TryGetProperty("post", out _));
        foreach (var (path, method) in new[]
        {
            ("/api/v1/tasks", "post"), ("/api/v1/tasks", "get"), ("/api/v1/tasks/batch", "post"),
            ("/api/v1/tasks/{id}", "get"), ("/api/v1/tasks/{id}", "patch"), ("/api/v1/tasks/{id}", "delete"),
            ("/api/v1/tasks/{id}/events", "post"), ("/api/v1/tasks/{id}/events", "get"),
            ("/api/v1/tasks/{id}/complete", "post"), ("/api/v1/tasks/{id}/fail", "post"), ("/api/v1/tasks/{id}/cancel", "post"),
        })
        {
            Assert.True(paths.TryGetProperty(path, out var item) && item.TryGetProperty(method, out _), $"Missing {method} {path}");
        }
        Assert.Equal(JsonValueKind.Object, doc.GetProperty("info").ValueKind);
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task The_docs_ui_is_served(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var r = await host.Client(null).GetAsync("/docs/index.html");
        Assert.Equal(200, (int)r.StatusCode);
        Assert.Equal("text/html", r.Content.Headers.ContentType?.MediaType);
        var html = await r.Content.ReadAsStringAsync();
        Assert.Contains("swagger", html, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Unknown_routes_and_methods_are_problems(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var admin = host.Client();
        await ProblemAsync(await admin.GetAsync("/api/v1/nothing-here"), 404, "route");
        await ProblemAsync(await admin.PutAsync($"{TasksPath}/t", HttpJson.Body("{}")), 405, "method");
    }
}
