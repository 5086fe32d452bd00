namespace SpectralNotify.Tests.Fuzz;

/// <summary>How a template's request is framed.</summary>
public enum Framing
{
    /// <summary>An /api/v1 route, the ops routes or an SSE stream: plain HTTP.</summary>
    Http,
    /// <summary>A compat procedure as <c>POST /&lt;procedure&gt;</c> with the raw input.</summary>
    CompatRest,
    /// <summary>A compat procedure as <c>POST /rpc/&lt;procedure&gt;</c> with <c>{"json": input}</c>.</summary>
    CompatRpc,
    /// <summary>A live endpoint reached with a real WebSocket upgrade.</summary>
    WebSocket,
}

/// <summary>
/// A valid request for one route. Placeholders in the path and body name the fixture's entities
/// (<c>{task}</c>, <c>{wf}</c>, <c>{phase}</c>, <c>{counter}</c>, <c>{config}</c>, <c>{job}</c>, <c>{run}</c>,
/// <c>{lease}</c>, <c>{tool}</c>) or a fresh id (<c>{new}</c>); see <see cref="FuzzFixture.Fill"/>.
/// </summary>
/// <param name="IfMatch">An <c>If-Match</c> the route needs to get past its precondition to validation (a version tag).</param>
public sealed record RouteTemplate(string Method, string Path, string? Body, Framing Framing = Framing.Http, bool Idempotent = false, string? IfMatch = null)
{
    public override string ToString() => $"{Method} {Path}";
}

/// <summary>Every route of both surfaces, each as one valid request (compat procedures in both framings).</summary>
public static class RouteTemplates
{
    private const string Metadata = """{"author":{"type":"user","id":"u1","name":"U","email":"u@example.com"},"origin":{"repo":"external","app":"cli","module":"m","source":"https://example.com/x"},"purpose":{"title":"T","description":"D"},"tags":["a","b"],"extra":{"x":[1,2]}}""";

    private static readonly RouteTemplate[] V1 =
    [
        new("POST", "/api/v1/tasks", """{"id":"{new}","title":"Fuzz","description":"d","type":"job","status":"pending","progress":5,"metadata":{"k":"v","n":[1,2]},"config":{"c":true},"workspacePath":"/tmp/x","ttlSeconds":3600,"sequence":1}"""),
        new("POST", "/api/v1/tasks", """{"id":"{new}","workflowId":"{wf}","expiresAt":"2031-01-01T00:00:00Z","sequence":2}"""),
        new("GET", "/api/v1/tasks?status=pending&limit=5", null),
        new("POST", "/api/v1/tasks/batch", """{"operations":[{"op":"create","id":"{new}","title":"b","metadata":{"a":1}},{"op":"progress","id":"{task}","progress":10,"message":"m"},{"op":"event","id":"{task}","type":"log","message":"e","metadata":{"b":[null]}},{"op":"update","id":"{task}","title":"t2","config":{"c":1}}]}"""),
        new("POST", "/api/v1/tasks/batch", """{"operations":[{"op":"complete","id":"{new}","metadata":{}},{"op":"fail","id":"{new}","error":"x"},{"op":"cancel","id":"{new}","reason":"r"}]}"""),
        new("GET", "/api/v1/tasks/{task}", null),
        new("PATCH", "/api/v1/tasks/{task}", """{"title":"t2","description":"d2","metadata":{"a":1},"config":{"b":2}}"""),
        new("PATCH", "/api/v1/tasks/{task}", """{"title":"t3","metadata":{"b":[1]}}""", IfMatch: "\"1\""),
        new("DELETE", "/api/v1/tasks/{new}", null),
        new("POST", "/api/v1/tasks/{task}/events", """{"type":"log","message":"hello","progress":12.5,"metadata":{"m":1}}"""),
        new("GET", "/api/v1/tasks/{task}/events?after=0&limit=10", null),
        new("POST", "/api/v1/tasks/{task}/progress", """{"progress":20,"message":"p"}"""),
        new("POST", "/api/v1/tasks/{new}/complete", """{"metadata":{"r":1}}"""),
        new("POST", "/api/v1/tasks/{new}/fail", """{"error":"boom","metadata":{}}"""),
        new("POST", "/api/v1/tasks/{new}/cancel", """{"reason":"r","metadata":{}}"""),
        new("GET", "/api/v1/tasks/{task}/stream?after=0", null),
        new("GET", "/api/v1/tasks/{task}/tools", null),
        new("POST", "/api/v1/tasks/{task}/tools", """{"toolName":"grep","arguments":{"q":"x"}}"""),
        new("POST", "/api/v1/tasks/{task}/tools/{tool}/complete", """{"output":{"ok":true}}"""),
        new("POST", "/api/v1/tasks/{task}/tools/{tool}/fail", """{"error":"e"}"""),
        new("POST", "/api/v1/tasks/{task}/tools/{tool}/timeout", null),
        new("GET", "/api/v1/sessions?active=true&limit=10", null),
        new("GET", "/api/v1/config", null),
        new("GET", "/api/v1/config/{config}", null),
        new("PUT", "/api/v1/config/{config}", """{"type":"string","value":"v","description":"d","isSecret":false}"""),
        new("PUT", "/api/v1/config/{new}", """{"type":"json","value":{"a":[1,{"b":null}]}}"""),
        new("PUT", "/api/v1/config/{new}", """{"type":"integer","value":5}"""),
        new("PUT", "/api/v1/config/{new}", """{"type":"float","value":0.5,"isSecret":true}"""),
        new("PUT", "/api/v1/config/{new}", """{"type":"boolean","value":true}"""),
        new("DELETE", "/api/v1/config/{new}", null),
        new("POST", "/api/v1/counters", """{"name":"{new}","value":0}"""),
        new("GET", "/api/v1/counters", null),
        new("GET", "/api/v1/counters/{counter}", null),
        new("DELETE", "/api/v1/counters/{new}", null),
        new("POST", "/api/v1/counters/{counter}/increment", """{"amount":1}"""),
        new("POST", "/api/v1/counters/{counter}/decrement", """{"amount":1}"""),
        new("POST", "/api/v1/counters/{counter}/set", """{"value":5}"""),
        new("POST", "/api/v1/counters/{counter}/reset", null),
        new("GET", "/api/v1/counters/{counter}/history?limit=5", null),
        new("POST", "/api/v1/workflows", """{"id":"{new}","phases":[{"key":"a","label":"A","weight":0.5},{"key":"b","label":"B","weight":0.5,"parentPhaseKey":null}],"metadata":{"m":1}}"""),
        new("GET", "/api/v1/workflows?limit=5", null),
        new("GET", "/api/v1/workflows/{wf}", null),
        new("GET", "/api/v1/workflows/{wf}/phases", null),
        new("POST", "/api/v1/workflows/{wf}/phases/{phase}/progress", """{"progress":30,"metadata":{"p":1}}"""),
        new("POST", "/api/v1/workflows/{wf}/phases/{phase}/complete", """{"metadata":{}}"""),
        new("POST", "/api/v1/workflows/{new}/complete", """{"metadata":{}}"""),
        new("POST", "/api/v1/workflows/{new}/cancel", """{"metadata":{}}"""),
        new("POST", "/api/v1/workflows/{new}/fail", """{"error":"e","metadata":{}}"""),
        new("GET", "/api/v1/workflows/{wf}/tasks", null),
        new("GET", "/api/v1/workflows/{wf}/events?after=0", null),
        new("DELETE", "/api/v1/workflows/{new}", null),
        new("POST", "/api/v1/jobs", """{"id":"{new}","type":"fz","payload":{"p":1},"queue":"fz","priority":10,"maxRetries":2,"timeoutSeconds":60,"misfire":"skip","uniqueKey":"u","schedule":{"cron":"30 2 * * *","timezone":"Europe/Berlin"}}"""),
        new("POST", "/api/v1/jobs", """{"id":"{new}","type":"fz","queue":"fz","schedule":{"intervalSeconds":3600},"state":"paused"}"""),
        new("POST", "/api/v1/jobs", """{"id":"{new}","type":"fz","queue":"fz","schedule":{"at":"2030-01-01T00:00:00Z"},"runNow":false}"""),
        new("GET", "/api/v1/jobs?limit=5", null),
        new("GET", "/api/v1/jobs/{job}", null),
        new("PATCH", "/api/v1/jobs/{job}", """{"timeoutSeconds":30,"schedule":{"intervalSeconds":600},"uniqueKey":"k2","type":"fz","payload":{},"queue":"fz","priority":5,"maxRetries":1,"misfire":"skip"}""", IfMatch: "\"1\""),
        new("DELETE", "/api/v1/jobs/{new}", null),
        new("POST", "/api/v1/jobs/{job}/restore", null),
        new("POST", "/api/v1/jobs/{job}/pause", null),
        new("POST", "/api/v1/jobs/{job}/resume", null),
        new("POST", "/api/v1/jobs/{job}/trigger", null),
        new("GET", "/api/v1/jobs/{job}/runs?limit=5", null),
        new("GET", "/api/v1/jobs/{job}/schedule/preview?count=3", null),
        new("POST", "/api/v1/runs", """{"runs":[{"id":"{new}","type":"fz","payload":{"a":1},"queue":"fz","priority":1,"maxRetries":0,"timeoutSeconds":30,"runAt":"2030-01-01T00:00:00Z","uniqueKey":null,"expiresAt":"2031-01-01T00:00:00Z","dependsOn":["{run}"]}]}"""),
        new("GET", "/api/v1/runs/{run}", null),
        new("GET", "/api/v1/runs?status=pending,in-progress&state=pending,running&type=fz&queue=fz&jobId={job}&createdAfter=2020-01-01T00:00:00Z&createdBefore=2040-01-01T00:00:00Z&limit=5", null),
        new("POST", "/api/v1/workers/claim", """{"workerId":"w","queues":["fz-idle"],"types":["fz"],"max":1,"leaseSeconds":30,"waitSeconds":0}"""),
        new("POST", "/api/v1/runs/{run}/heartbeat", """{"leaseToken":"{lease}","leaseSeconds":600}"""),
        new("POST", "/api/v1/runs/{run}/complete", """{"leaseToken":"{lease}","result":{"ok":1}}"""),
        new("POST", "/api/v1/runs/{run}/fail", """{"leaseToken":"{lease}","error":"e","retryable":true,"retryAfterSeconds":5}"""),
        new("GET", "/ws/task/{task}?after=0&clientId=c1", null, Framing.WebSocket),
        new("GET", "/ws/workflow/{wf}?snapshot=true", null, Framing.WebSocket),
        new("GET", "/ws/counter/{counter}", null, Framing.WebSocket),
        new("GET", "/ws/task/{task}", null),
        new("GET", "/healthz", null),
        new("GET", "/readyz", null),
        new("GET", "/metrics", null),
        new("GET", "/", null),
        new("GET", "/__version", null),
        new("GET", "/rpc/tasks/getAll", null),
    ];

    /// <summary>Procedure, input, and whether it takes an Idempotency-Key (the reference's write procedures).</summary>
    private static readonly (string Procedure, string Input, bool Idempotent)[] Compat =
    [
        ("healthCheck", "{}", false),
        ("privateData", "{}", false),
        ("tasks/create", """{"id":"{new}","status":"pending","progress":0,"metadata":""" + Metadata + "}", true),
        ("tasks/addEvent", """{"taskId":"{task}","event":{"type":"log","message":"m","progress":10}}""", true),
        ("tasks/updateProgress", """{"taskId":"{task}","progress":50}""", true),
        ("tasks/complete", """{"taskId":"{new}","metadata":{"tags":["x"]}}""", true),
        ("tasks/fail", """{"taskId":"{new}","error":"e","metadata":{}}""", true),
        ("tasks/cancel", """{"taskId":"{new}","metadata":{}}""", true),
        ("tasks/getById", """{"taskId":"{task}"}""", false),
        ("tasks/getHistory", """{"taskId":"{task}"}""", false),
        ("tasks/getAll", "{}", false),
        ("tasks/listAll", "{}", false),
        ("tasks/delete", """{"taskId":"{new}"}""", false),
        ("tasks/deleteAll", "{}", false),
        ("workflows/create", """{"id":"{new}","status":"in-progress","phases":[{"key":"a","label":"A","weight":0.4,"status":"pending","progress":0},{"key":"b","label":"B","weight":0.6,"status":"pending","progress":0,"parentPhaseKey":null,"depth":0}],"metadata":""" + Metadata + "}", true),
        ("workflows/updatePhaseProgress", """{"workflowId":"{wf}","phase":"{phase}","progress":42,"metadata":{}}""", true),
        ("workflows/completePhase", """{"workflowId":"{wf}","phase":"{phase}"}""", true),
        ("workflows/complete", """{"workflowId":"{new}"}""", true),
        ("workflows/fail", """{"workflowId":"{new}","error":"e"}""", true),
        ("workflows/cancel", """{"workflowId":"{new}","metadata":{}}""", true),
        ("workflows/getById", """{"workflowId":"{wf}"}""", false),
        ("workflows/getPhases", """{"workflowId":"{wf}"}""", false),
        ("workflows/getHistory", """{"workflowId":"{wf}"}""", false),
        ("workflows/getAll", "{}", false),
        ("workflows/listAll", "{}", false),
        ("workflows/delete", """{"workflowId":"{new}"}""", false),
        ("workflows/deleteAll", "{}", false),
        ("counter/listAll", "{}", false),
        ("counter/create", """{"name":"{new}"}""", false),
        ("counter/getValue", """{"name":"{counter}"}""", false),
        ("counter/getMetadata", """{"name":"{counter}"}""", false),
        ("counter/increment", """{"name":"{counter}","amount":2}""", false),
        ("counter/decrement", """{"name":"{counter}","amount":1}""", false),
        ("counter/setValue", """{"name":"{counter}","value":7}""", false),
        ("counter/reset", """{"name":"{counter}"}""", false),
        ("counter/getHistory", """{"name":"{counter}","limit":3}""", false),
        ("counter/delete", """{"name":"{new}"}""", false),
    ];

    public static readonly IReadOnlyList<RouteTemplate> All =
    [
        .. V1,
        .. Compat.Select(c => new RouteTemplate("POST", "/" + c.Procedure, c.Input, Framing.CompatRest, c.Idempotent)),
        .. Compat.Select(c => new RouteTemplate("POST", "/rpc/" + c.Procedure, c.Input, Framing.CompatRpc, c.Idempotent)),
    ];

    /// <summary>The compat procedures listed here, to check the list against the server's (no procedure left out).</summary>
    public static IEnumerable<string> CompatProcedures => Compat.Select(c => c.Procedure);
}
