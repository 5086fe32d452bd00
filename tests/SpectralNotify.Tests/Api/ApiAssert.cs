using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Api;

/// <summary>What a task looks like from outside, for "nothing was written" checks.</summary>
public sealed record TaskSnapshot(string Status, double Progress, long LastSeq, long Version, string UpdatedAt, string? Title);

/// <summary>Assertions and request helpers shared by the API tests.</summary>
public static partial class ApiAssert
{
    public const string TasksPath = "/api/v1/tasks";

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")]
    public static partial Regex WireTime();

    /// <summary>
    /// Asserts a problem answer: the status (never a 500), <c>application/problem+json</c>, a
    /// <c>status</c> member matching, and that the problem names each of <paramref name="mentions"/>
    /// in its title, detail or errors (keys or messages). Returns the problem.
    /// </summary>
    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, int status, params string[] mentions)
    {
        var text = await response.Content.ReadAsStringAsync();
        var actual = (int)response.StatusCode;
        Assert.True(actual < 500, $"Server error {actual} for {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {text}");
        Assert.True(actual == status, $"Expected {status}, got {actual} for {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {text}");
        Assert.True(response.IsProblem(), $"Expected application/problem+json, got '{response.Content.Headers.ContentType}': {text}");
        JsonElement problem;
        using (var doc = JsonDocument.Parse(text))
        {
            problem = doc.RootElement.Clone();
        }
        Assert.Equal(JsonValueKind.Object, problem.ValueKind);
        if (problem.TryGetProperty("status", out var s))
        {
            Assert.Equal(status, s.GetInt32());
        }
        var said = Describe(problem);
        foreach (var m in mentions)
        {
            Assert.True(said.Contains(m, StringComparison.OrdinalIgnoreCase), $"The problem does not name '{m}': {text}");
        }
        return problem;
    }

    /// <summary>Title, detail and every errors key and message of a problem, as one string.</summary>
    public static string Describe(JsonElement problem)
    {
        var sb = new StringBuilder();
        foreach (var name in new[] { "title", "detail" })
        {
            if (problem.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String)
            {
                sb.Append(v.GetString()).Append('\n');
            }
        }
        if (problem.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
        {
            foreach (var e in errors.EnumerateObject())
            {
                sb.Append(e.Name).Append(": ");
                if (e.Value.ValueKind == JsonValueKind.Array)
                {
                    foreach (var m in e.Value.EnumerateArray())
                    {
                        sb.Append(m.ToString()).Append("; ");
                    }
                }
                sb.Append('\n');
            }
        }
        return sb.ToString();
    }

    /// <summary>The field names of a validation problem's <c>errors</c>.</summary>
    public static IReadOnlyList<string> ErrorKeys(JsonElement problem) =>
        problem.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object
            ? errors.EnumerateObject().Select(e => e.Name).ToList()
            : [];

    public static async Task<TaskSnapshot> SnapshotAsync(HttpClient client, string id)
    {
        var t = await (await client.GetAsync($"{TasksPath}/{Uri.EscapeDataString(id)}")).ExpectAsync(200);
        return Snapshot(t);
    }

    public static TaskSnapshot Snapshot(JsonElement t) => new(
        t.GetProperty("status").GetString()!, t.GetProperty("progress").GetDouble(), t.GetProperty("lastSeq").GetInt64(),
        t.GetProperty("version").GetInt64(), t.GetProperty("updatedAt").GetString()!,
        t.GetProperty("title").ValueKind == JsonValueKind.String ? t.GetProperty("title").GetString() : null);

    public static async Task AssertMissingAsync(HttpClient client, string id) =>
        await NotFoundAsync(await client.GetAsync($"{TasksPath}/{Uri.EscapeDataString(id)}"), id);

    /// <summary>A "Task not found" 404 problem naming <paramref name="id"/>.</summary>
    public static async Task<JsonElement> NotFoundAsync(HttpResponseMessage response, string id)
    {
        var problem = await ProblemAsync(response, 404, id);
        Assert.Equal("Task not found", problem.GetProperty("title").GetString());
        Assert.Equal(id, problem.GetProperty("taskId").GetString());
        return problem;
    }

    /// <summary>The events of a task (first page of up to 500).</summary>
    public static async Task<List<JsonElement>> EventsAsync(HttpClient client, string id)
    {
        var page = await (await client.GetAsync($"{TasksPath}/{Uri.EscapeDataString(id)}/events?limit=500")).ExpectAsync(200);
        return page.GetProperty("data").EnumerateArray().ToList();
    }

    public static Task<HttpResponseMessage> SendAsync(
        this HttpClient client, HttpMethod method, string path, string? json = null, Action<HttpRequestMessage>? configure = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = HttpJson.Body(json);
        }
        configure?.Invoke(request);
        return client.SendAsync(request);
    }

    /// <summary>
    /// Sends a request whose body is over the server's limit. The server answers 413 and closes the
    /// connection without reading the rest of the body, so the client can see a broken pipe or reset
    /// before the answer; like any client, this retries (the 413 writes nothing, so a retry is safe).
    /// <c>Expect: 100-continue</c> lets the server refuse before most of the body is sent.
    /// </summary>
    public static async Task<HttpResponseMessage> SendOversizedAsync(this HttpClient client, Func<HttpRequestMessage> request)
    {
        for (var attempt = 1; ; attempt++)
        {
            var message = request();
            message.Headers.ExpectContinue = true;
            try
            {
                return await client.SendAsync(message);
            }
            catch (HttpRequestException e) when (attempt < 5 && e.InnerException is IOException)
            {
            }
        }
    }

    public static Task<HttpResponseMessage> PostOversizedAsync(this HttpClient client, string path, string json, string? idempotencyKey = null) =>
        client.SendOversizedAsync(() =>
        {
            var message = new HttpRequestMessage(HttpMethod.Post, path) { Content = HttpJson.Body(json) };
            if (idempotencyKey is not null)
            {
                message.Headers.Add("Idempotency-Key", idempotencyKey);
            }
            return message;
        });

    public static Task<HttpResponseMessage> PatchJsonAsync(this HttpClient client, string path, string json, string? ifMatch = null) =>
        client.SendAsync(HttpMethod.Patch, path, json, r =>
        {
            if (ifMatch is not null)
            {
                r.Headers.TryAddWithoutValidation("If-Match", ifMatch);
            }
        });

    public static string? ETag(HttpResponseMessage response) => response.Headers.ETag?.Tag;

    public static void AssertJsonType(HttpResponseMessage response)
    {
        var type = response.Content.Headers.ContentType;
        Assert.NotNull(type);
        Assert.Equal("application/json", type.MediaType);
    }

    public static List<string> Ids(JsonElement page) =>
        page.GetProperty("data").EnumerateArray().Select(t => t.GetProperty("id").GetString()!).ToList();
}
