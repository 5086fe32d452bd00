using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace SpectralNotify.Tests.Infrastructure;

/// <summary>Small helpers for raw-JSON HTTP calls, so tests send exactly the bytes a client would.</summary>
public static class HttpJson
{
    public static StringContent Body(string json) => new(json, Encoding.UTF8, "application/json");

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, string json, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Body(json) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        return client.SendAsync(request);
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }

    /// <summary>Asserts the status and returns the JSON body; the message shows the body on failure.</summary>
    public static async Task<JsonElement> ExpectAsync(this HttpResponseMessage response, int status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"Expected {status}, got {(int)response.StatusCode}: {text}");
        if (text.Length == 0)
        {
            return default;
        }
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }

    public static async Task<JsonElement> CreateTaskAsync(this HttpClient client, string id, string extra = "")
    {
        var r = await client.PostJsonAsync("/api/v1/tasks", $$"""{"id":"{{id}}"{{extra}}}""");
        return await r.ExpectAsync(201);
    }

    /// <summary>Creates a database API key through <c>POST /api/v1/keys</c> (admin client); returns its id and secret.</summary>
    public static async Task<(string Id, string Secret)> CreateKeyAsync(this HttpClient admin, string name, string scopesJson, string extra = "")
    {
        var key = await (await admin.PostJsonAsync("/api/v1/keys", $$"""{"name":"{{name}}","scopes":{{scopesJson}}{{extra}}}""")).ExpectAsync(201);
        return (key.GetProperty("id").GetString()!, key.GetProperty("key").GetString()!);
    }

    public static bool IsProblem(this HttpResponseMessage response) =>
        response.Content.Headers.ContentType?.MediaType == "application/problem+json";

    public static MediaTypeHeaderValue JsonType => new("application/json");
}
