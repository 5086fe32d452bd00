using System.Text.Json.Nodes;

namespace SpectralNotify.Server.Api.OpenApi;

/// <summary>
/// Request-body examples shown in <c>/docs</c>, keyed like <see cref="OpenApiSummaries"/>. Each is a
/// body the server accepts as written (OpenApiDocumentTests posts every one of them), so "Try it out"
/// starts from something that works.
/// </summary>
internal static class OpenApiExamples
{
    public sealed record Example(string Name, string Summary, string Json);

    public static readonly IReadOnlyDictionary<string, IReadOnlyList<Example>> ByRoute = new Dictionary<string, IReadOnlyList<Example>>(StringComparer.Ordinal)
    {
        ["POST /api/v1/tasks"] =
        [
            new("task", "A task with a title, type and metadata", """{"title":"Transcode intro.mp4","type":"video.transcode","metadata":{"customer":"acme"}}"""),
            new("withToken", "A task and a read token for the browser that watches it", """{"title":"Import invoices","token":{"ttlSeconds":900}}"""),
        ],
        ["POST /api/v1/tasks/{id}/progress"] = [new("progress", "Half done, with a message", """{"progress":50,"message":"Encoding pass 1 of 2"}""")],
        ["POST /api/v1/tasks/{id}/events"] = [new("log", "A log line in the task's history", """{"type":"log","message":"Downloaded 120 MB"}""")],
        ["POST /api/v1/tasks/{id}/fail"] = [new("fail", "Fail with an error", """{"error":"ffmpeg exited with code 1"}""")],
        ["POST /api/v1/counters"] = [new("counter", "A counter starting at zero", """{"name":"emails-sent","value":0}""")],
        ["POST /api/v1/counters/{name}/increment"] = [new("increment", "Add 5", """{"amount":5}""")],
        ["POST /api/v1/workflows"] =
        [
            new("workflow", "Weighted phases, one of them nested", """
                {"id":"onboarding-42","phases":[
                  {"key":"upload","label":"Upload","weight":0.2},
                  {"key":"process","label":"Process","weight":0.8},
                  {"key":"transcode","label":"Transcode","weight":0.5,"parentPhaseKey":"process"},
                  {"key":"thumbnails","label":"Thumbnails","weight":0.5,"parentPhaseKey":"process"}]}
                """),
        ],
        ["POST /api/v1/workflows/{id}/phases/{key}/progress"] = [new("progress", "A phase 40 % done", """{"progress":40}""")],
        ["POST /api/v1/jobs"] =
        [
            new("cron", "Every night at 02:30 in Paris time", """{"type":"report.nightly","schedule":{"cron":"30 2 * * *","timezone":"Europe/Paris"},"payload":{"format":"pdf"}}"""),
            new("interval", "Every 5 minutes", """{"type":"feeds.poll","schedule":{"intervalSeconds":300},"queue":"feeds","maxRetries":3}"""),
            new("at", "Once, at a given time", """{"type":"mail.reminder","schedule":{"at":"2030-01-01T09:00:00Z"},"payload":{"to":"ops@example.com"}}"""),
            new("manual", "Manual: runs only when triggered; runNow enqueues one run at once", """{"type":"video.transcode","payload":{"file":"intro.mp4"},"runNow":true}"""),
        ],
        ["POST /api/v1/runs"] = [new("runs", "Two one-off runs, the second after the first", """{"runs":[{"id":"fetch-1","type":"fetch"},{"type":"index","dependsOn":["fetch-1"]}]}""")],
        ["POST /api/v1/workers/claim"] = [new("claim", "Lease up to 4 runs from two queues, waiting up to 20 s", """{"workerId":"worker-a","queues":["default","video"],"max":4,"leaseSeconds":60,"waitSeconds":20}""")],
        ["POST /api/v1/tokens"] = [new("token", "A 15-minute token that may read one task", """{"scopes":["read:tasks:abc"],"ttlSeconds":900}""")],
        ["POST /api/v1/keys"] = [new("key", "A write key for a worker fleet", """{"name":"workers","scopes":["write"]}""")],
        ["PUT /api/v1/config/{key}"] = [new("config", "A typed configuration value", """{"type":"json","value":{"maxParallel":4},"description":"Limits for the import pipeline"}""")],
    };

    public static JsonNode Parse(Example e) => JsonNode.Parse(e.Json)!;
}
