using System.Text.Json;
using SpectralNotify.Server.Api.OpenApi;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Api;

/// <summary>
/// <c>/openapi/v1.json</c> is what <c>/docs</c> and generated clients read: every operation has a
/// summary and a tag, the Authorize button has schemes to offer, anonymous routes say so, and every
/// request-body example is a body the server accepts as written.
/// </summary>
public sealed class OpenApiDocumentTests
{
    private static readonly string[] Methods = ["get", "post", "put", "patch", "delete"];

    [Fact]
    public async Task Every_operation_has_a_summary_and_a_tag_and_the_summary_table_has_no_stale_entry()
    {
        await using var host = await TestHost.StartAsync(Engine.Sqlite);
        var doc = await GetDocumentAsync(host);
        var operations = Operations(doc).ToList();
        Assert.True(operations.Count > 60, $"only {operations.Count} operations documented");

        var unsummarized = operations.Where(o => string.IsNullOrWhiteSpace(Text(o.Operation, "summary"))).Select(o => o.Key).ToList();
        var untagged = operations.Where(o => !o.Operation.TryGetProperty("tags", out var t) || t.GetArrayLength() == 0).Select(o => o.Key).ToList();
        Assert.True(unsummarized.Count == 0, $"no summary: [{string.Join(", ", unsummarized)}]");
        Assert.True(untagged.Count == 0, $"no tag: [{string.Join(", ", untagged)}]");

        var documented = operations.Select(o => o.Key).ToHashSet(StringComparer.Ordinal);
        var stale = OpenApiSummaries.ByRoute.Keys.Concat(OpenApiExamples.ByRoute.Keys).Where(k => !documented.Contains(k)).ToList();
        Assert.True(stale.Count == 0, $"summaries or examples for routes that are not served: [{string.Join(", ", stale)}]");
        Assert.Contains("/healthz", doc.GetProperty("paths").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task The_security_schemes_exist_and_each_operation_names_the_credentials_it_takes()
    {
        await using var host = await TestHost.StartAsync(Engine.Sqlite);
        var doc = await GetDocumentAsync(host);
        var schemes = doc.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("apiKey", schemes.GetProperty("ApiKey").GetProperty("type").GetString());
        Assert.Equal("header", schemes.GetProperty("ApiKey").GetProperty("in").GetString());
        Assert.Equal("X-API-Key", schemes.GetProperty("ApiKey").GetProperty("name").GetString());
        Assert.Equal("http", schemes.GetProperty("Bearer").GetProperty("type").GetString());
        Assert.Equal("bearer", schemes.GetProperty("Bearer").GetProperty("scheme").GetString());

        var byKey = Operations(doc).ToDictionary(o => o.Key, o => o.Operation, StringComparer.Ordinal);
        foreach (var anonymous in new[] { "GET /healthz", "GET /readyz", "GET /metrics" })
        {
            Assert.Equal(0, byKey[anonymous].GetProperty("security").GetArrayLength());
        }
        foreach (var keyed in new[] { "GET /api/v1/tasks", "POST /api/v1/jobs", "POST /api/v1/keys", "GET /api/v1/tasks/{id}/stream" })
        {
            var names = byKey[keyed].GetProperty("security").EnumerateArray().SelectMany(r => r.EnumerateObject().Select(p => p.Name)).Order().ToList();
            Assert.Equal(["ApiKey", "Bearer"], names);
        }
    }

    [Fact]
    public async Task Metrics_documents_its_key_when_it_requires_one()
    {
        await using var host = await TestHost.StartAsync(Engine.Sqlite, new Dictionary<string, string?> { ["Metrics:RequireKey"] = "true" });
        var doc = await GetDocumentAsync(host);
        var metrics = Operations(doc).Single(o => o.Key == "GET /metrics").Operation;
        Assert.Equal(2, metrics.GetProperty("security").GetArrayLength());
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Every_request_body_example_is_accepted_as_written(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var admin = host.Client();
        var doc = await GetDocumentAsync(host);
        var examples = (from o in Operations(doc)
                        where o.Operation.TryGetProperty("requestBody", out _)
                        let media = o.Operation.GetProperty("requestBody").GetProperty("content").GetProperty("application/json")
                        where media.TryGetProperty("examples", out _)
                        from e in media.GetProperty("examples").EnumerateObject()
                        select (o.Method, o.Path, Name: e.Name, Body: e.Value.GetProperty("value").GetRawText())).ToList();

        var names = examples.Select(e => $"{e.Method.ToUpperInvariant()} {e.Path} {e.Name}").ToHashSet(StringComparer.Ordinal);
        foreach (var required in new[] { "POST /api/v1/jobs cron", "POST /api/v1/jobs interval", "POST /api/v1/jobs at", "POST /api/v1/jobs manual",
                     "POST /api/v1/counters counter", "POST /api/v1/workflows workflow", "POST /api/v1/tasks task" })
        {
            Assert.Contains(required, names);
        }

        // Routes without a path parameter first: they create what the others address.
        foreach (var (method, path, name, body) in examples.OrderBy(e => e.Path.Contains('{', StringComparison.Ordinal)))
        {
            var target = await ResolveAsync(admin, path, name);
            using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), target) { Content = HttpJson.Body(body) };
            using var response = await admin.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.True(response.IsSuccessStatusCode,
                $"example '{name}' of {method.ToUpperInvariant()} {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
        }
    }

    /// <summary>Fills a path's parameters with an entity the example can act on.</summary>
    private static async Task<string> ResolveAsync(HttpClient admin, string path, string example)
    {
        if (path.StartsWith("/api/v1/tasks/{id}", StringComparison.Ordinal))
        {
            var id = $"doc-{example}-{Guid.NewGuid():N}";
            await admin.CreateTaskAsync(id);
            return path.Replace("{id}", id, StringComparison.Ordinal);
        }
        // The counter and workflow examples of the create routes made these.
        return path
            .Replace("/counters/{name}", "/counters/emails-sent", StringComparison.Ordinal)
            .Replace("/workflows/{id}/phases/{key}", "/workflows/onboarding-42/phases/transcode", StringComparison.Ordinal)
            .Replace("/config/{key}", "/config/pipeline.limits", StringComparison.Ordinal);
    }

    private static async Task<JsonElement> GetDocumentAsync(TestHost host) =>
        await (await host.Client(null).GetAsync("/openapi/v1.json", TestContext.Current.CancellationToken)).ExpectAsync(200);

    private static IEnumerable<(string Key, string Method, string Path, JsonElement Operation)> Operations(JsonElement doc) =>
        from path in doc.GetProperty("paths").EnumerateObject()
        from method in path.Value.EnumerateObject()
        where Methods.Contains(method.Name)
        select ($"{method.Name.ToUpperInvariant()} {path.Name}", method.Name, path.Name, method.Value);

    private static string? Text(JsonElement e, string property) =>
        e.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
