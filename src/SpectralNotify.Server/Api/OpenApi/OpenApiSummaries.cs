namespace SpectralNotify.Server.Api.OpenApi;

/// <summary>
/// One line per documented operation, keyed like the SDK route tables (<c>METHOD /path</c>). Kept in
/// one table rather than on each route so the whole API reads as a list here; OpenApiDocumentTests
/// fails when an operation has no summary or a summary names a route that no longer exists.
/// </summary>
internal static class OpenApiSummaries
{
    public static readonly IReadOnlyDictionary<string, string> ByRoute = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["GET /healthz"] = "Liveness: the process is up",
        ["GET /readyz"] = "Readiness: database reachable and migrated, every background component working",
        ["GET /metrics"] = "Prometheus metrics",

        ["GET /ws/task/{id}"] = "Live task over WebSocket (compatible protocol; resume with ?after=)",
        ["GET /ws/workflow/{id}"] = "Live workflow over WebSocket (compatible protocol)",
        ["GET /ws/counter/{name}"] = "Live counter over WebSocket (compatible protocol)",
        ["GET /api/v1/tasks/{id}/stream"] = "Live task over Server-Sent Events (resume with Last-Event-ID)",

        ["POST /api/v1/tasks"] = "Create a task",
        ["GET /api/v1/tasks"] = "List tasks (filter by status, type, workflow, metadata; keyset pages)",
        ["POST /api/v1/tasks/batch"] = "Apply up to 250 task operations in one transaction",
        ["GET /api/v1/tasks/{id}"] = "Get a task",
        ["PATCH /api/v1/tasks/{id}"] = "Update a task's fields (If-Match optional)",
        ["DELETE /api/v1/tasks/{id}"] = "Delete a task and its history",
        ["POST /api/v1/tasks/{id}/events"] = "Append an event to a task's history",
        ["GET /api/v1/tasks/{id}/events"] = "Read a task's history after a seq",
        ["POST /api/v1/tasks/{id}/progress"] = "Report a task's progress (0-100) with an optional message",
        ["POST /api/v1/tasks/{id}/complete"] = "Complete a task",
        ["POST /api/v1/tasks/{id}/fail"] = "Fail a task with an error",
        ["POST /api/v1/tasks/{id}/cancel"] = "Cancel a task (a running job run gets a cancel request)",

        ["GET /api/v1/tasks/{id}/tools"] = "List a task's tool executions",
        ["POST /api/v1/tasks/{id}/tools"] = "Start a tool execution on a task",
        ["POST /api/v1/tasks/{id}/tools/{execId}/complete"] = "Complete a tool execution with its result",
        ["POST /api/v1/tasks/{id}/tools/{execId}/fail"] = "Fail a tool execution",
        ["POST /api/v1/tasks/{id}/tools/{execId}/timeout"] = "Time out a tool execution",

        ["GET /api/v1/sessions"] = "List live sessions (who watches what, per node)",
        ["GET /api/v1/stats"] = "Summary for the Overview: tasks by status, finished per minute, queues, workers, live sessions per node",

        ["GET /api/v1/config"] = "List configuration entries",
        ["GET /api/v1/config/{key}"] = "Get a configuration entry",
        ["PUT /api/v1/config/{key}"] = "Create or replace a configuration entry",
        ["DELETE /api/v1/config/{key}"] = "Delete a configuration entry",

        ["POST /api/v1/keys"] = "Create an API key (the secret is shown once)",
        ["GET /api/v1/keys"] = "List API keys (without secrets)",
        ["DELETE /api/v1/keys/{id}"] = "Revoke an API key on every node",

        ["POST /api/v1/tokens"] = "Mint a short-lived token with scopes for a browser or app",
        ["POST /api/v1/tokens/rotate"] = "Rotate the token signing key",

        ["POST /api/v1/counters"] = "Create a counter",
        ["GET /api/v1/counters"] = "List counters",
        ["GET /api/v1/counters/{name}"] = "Get a counter",
        ["DELETE /api/v1/counters/{name}"] = "Delete a counter and its history",
        ["POST /api/v1/counters/{name}/increment"] = "Increment a counter",
        ["POST /api/v1/counters/{name}/decrement"] = "Decrement a counter",
        ["POST /api/v1/counters/{name}/set"] = "Set a counter's value",
        ["POST /api/v1/counters/{name}/reset"] = "Reset a counter to zero",
        ["GET /api/v1/counters/{name}/history"] = "Read a counter's operations after a seq",

        ["POST /api/v1/workflows"] = "Create a workflow with weighted, nested phases",
        ["GET /api/v1/workflows"] = "List workflows",
        ["GET /api/v1/workflows/{id}"] = "Get a workflow with its phases and rolled-up progress",
        ["DELETE /api/v1/workflows/{id}"] = "Delete a workflow",
        ["GET /api/v1/workflows/{id}/phases"] = "List a workflow's phases",
        ["POST /api/v1/workflows/{id}/phases/{key}/progress"] = "Report a phase's progress; parents and the workflow roll up",
        ["POST /api/v1/workflows/{id}/phases/{key}/complete"] = "Complete a phase",
        ["POST /api/v1/workflows/{id}/complete"] = "Complete a workflow",
        ["POST /api/v1/workflows/{id}/cancel"] = "Cancel a workflow",
        ["POST /api/v1/workflows/{id}/fail"] = "Fail a workflow with an error",
        ["GET /api/v1/workflows/{id}/tasks"] = "List the tasks of a workflow",
        ["GET /api/v1/workflows/{id}/events"] = "Read a workflow's history after a seq",

        ["POST /api/v1/jobs"] = "Create a job: manual, one time, every interval, or cron",
        ["GET /api/v1/jobs"] = "List jobs",
        ["GET /api/v1/jobs/{id}"] = "Get a job (ETag carries its version)",
        ["PATCH /api/v1/jobs/{id}"] = "Change a job (If-Match required)",
        ["DELETE /api/v1/jobs/{id}"] = "Soft-delete a job: it stops firing, its runs stay",
        ["POST /api/v1/jobs/{id}/restore"] = "Restore a soft-deleted job",
        ["POST /api/v1/jobs/{id}/pause"] = "Pause a job's schedule",
        ["POST /api/v1/jobs/{id}/resume"] = "Resume a job's schedule from now",
        ["POST /api/v1/jobs/{id}/trigger"] = "Run a job now, whatever its schedule",
        ["GET /api/v1/jobs/{id}/runs"] = "List a job's runs, newest first",
        ["GET /api/v1/jobs/{id}/schedule/preview"] = "Preview a job's next fire times",

        ["POST /api/v1/runs"] = "Enqueue 1-250 one-off runs in one transaction",
        ["GET /api/v1/runs"] = "List runs (filter by status, state, type, queue, job)",
        ["GET /api/v1/runs/{id}"] = "Get a run",
        ["POST /api/v1/runs/{id}/retry"] = "Retry a failed (dead-lettered) or canceled run as a new run",
        ["POST /api/v1/workers/claim"] = "Worker: lease runs from queues, waiting up to waitSeconds for work",
        ["POST /api/v1/runs/{id}/heartbeat"] = "Worker: extend a run's lease; the answer says whether it was cancelled",
        ["POST /api/v1/runs/{id}/complete"] = "Worker: complete a run with its result",
        ["POST /api/v1/runs/{id}/fail"] = "Worker: fail a run's attempt (retried per the job's rules unless not retryable)",
    };
}
