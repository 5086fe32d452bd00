namespace SpectralNotify.Client;

/// <summary>
/// Every REST route the client calls, one field each; the resource classes build requests only from
/// this table. A test compares it with the server's <c>/openapi/v1.json</c> in both directions.
/// </summary>
public static class ApiRoutes
{
#pragma warning disable CS1591 // The names say it: resource.operation, METHOD path.
    public static readonly ApiRoute TasksCreate = new("tasks.create", "POST", "/api/v1/tasks");
    public static readonly ApiRoute TasksList = new("tasks.list", "GET", "/api/v1/tasks");
    public static readonly ApiRoute TasksBatch = new("tasks.batch", "POST", "/api/v1/tasks/batch");
    public static readonly ApiRoute TasksGet = new("tasks.get", "GET", "/api/v1/tasks/{id}");
    public static readonly ApiRoute TasksUpdate = new("tasks.update", "PATCH", "/api/v1/tasks/{id}");
    public static readonly ApiRoute TasksDelete = new("tasks.delete", "DELETE", "/api/v1/tasks/{id}");
    public static readonly ApiRoute TasksAddEvent = new("tasks.addEvent", "POST", "/api/v1/tasks/{id}/events");
    public static readonly ApiRoute TasksEvents = new("tasks.events", "GET", "/api/v1/tasks/{id}/events");
    public static readonly ApiRoute TasksProgress = new("tasks.progress", "POST", "/api/v1/tasks/{id}/progress");
    public static readonly ApiRoute TasksComplete = new("tasks.complete", "POST", "/api/v1/tasks/{id}/complete");
    public static readonly ApiRoute TasksFail = new("tasks.fail", "POST", "/api/v1/tasks/{id}/fail");
    public static readonly ApiRoute TasksCancel = new("tasks.cancel", "POST", "/api/v1/tasks/{id}/cancel");
    public static readonly ApiRoute TasksStream = new("tasks.stream", "GET", "/api/v1/tasks/{id}/stream");

    public static readonly ApiRoute ToolsList = new("tools.list", "GET", "/api/v1/tasks/{id}/tools");
    public static readonly ApiRoute ToolsStart = new("tools.start", "POST", "/api/v1/tasks/{id}/tools");
    public static readonly ApiRoute ToolsComplete = new("tools.complete", "POST", "/api/v1/tasks/{id}/tools/{execId}/complete");
    public static readonly ApiRoute ToolsFail = new("tools.fail", "POST", "/api/v1/tasks/{id}/tools/{execId}/fail");
    public static readonly ApiRoute ToolsTimeout = new("tools.timeout", "POST", "/api/v1/tasks/{id}/tools/{execId}/timeout");

    public static readonly ApiRoute CountersCreate = new("counters.create", "POST", "/api/v1/counters");
    public static readonly ApiRoute CountersList = new("counters.list", "GET", "/api/v1/counters");
    public static readonly ApiRoute CountersGet = new("counters.get", "GET", "/api/v1/counters/{name}");
    public static readonly ApiRoute CountersDelete = new("counters.delete", "DELETE", "/api/v1/counters/{name}");
    public static readonly ApiRoute CountersIncrement = new("counters.increment", "POST", "/api/v1/counters/{name}/increment");
    public static readonly ApiRoute CountersDecrement = new("counters.decrement", "POST", "/api/v1/counters/{name}/decrement");
    public static readonly ApiRoute CountersSet = new("counters.set", "POST", "/api/v1/counters/{name}/set");
    public static readonly ApiRoute CountersReset = new("counters.reset", "POST", "/api/v1/counters/{name}/reset");
    public static readonly ApiRoute CountersHistory = new("counters.history", "GET", "/api/v1/counters/{name}/history");

    public static readonly ApiRoute WorkflowsCreate = new("workflows.create", "POST", "/api/v1/workflows");
    public static readonly ApiRoute WorkflowsList = new("workflows.list", "GET", "/api/v1/workflows");
    public static readonly ApiRoute WorkflowsGet = new("workflows.get", "GET", "/api/v1/workflows/{id}");
    public static readonly ApiRoute WorkflowsDelete = new("workflows.delete", "DELETE", "/api/v1/workflows/{id}");
    public static readonly ApiRoute WorkflowsPhases = new("workflows.phases", "GET", "/api/v1/workflows/{id}/phases");
    public static readonly ApiRoute WorkflowsPhaseProgress = new("workflows.phaseProgress", "POST", "/api/v1/workflows/{id}/phases/{key}/progress");
    public static readonly ApiRoute WorkflowsPhaseComplete = new("workflows.phaseComplete", "POST", "/api/v1/workflows/{id}/phases/{key}/complete");
    public static readonly ApiRoute WorkflowsComplete = new("workflows.complete", "POST", "/api/v1/workflows/{id}/complete");
    public static readonly ApiRoute WorkflowsFail = new("workflows.fail", "POST", "/api/v1/workflows/{id}/fail");
    public static readonly ApiRoute WorkflowsCancel = new("workflows.cancel", "POST", "/api/v1/workflows/{id}/cancel");
    public static readonly ApiRoute WorkflowsTasks = new("workflows.tasks", "GET", "/api/v1/workflows/{id}/tasks");
    public static readonly ApiRoute WorkflowsEvents = new("workflows.events", "GET", "/api/v1/workflows/{id}/events");

    public static readonly ApiRoute JobsCreate = new("jobs.create", "POST", "/api/v1/jobs");
    public static readonly ApiRoute JobsList = new("jobs.list", "GET", "/api/v1/jobs");
    public static readonly ApiRoute JobsGet = new("jobs.get", "GET", "/api/v1/jobs/{id}");
    public static readonly ApiRoute JobsUpdate = new("jobs.update", "PATCH", "/api/v1/jobs/{id}");
    public static readonly ApiRoute JobsDelete = new("jobs.delete", "DELETE", "/api/v1/jobs/{id}");
    public static readonly ApiRoute JobsRestore = new("jobs.restore", "POST", "/api/v1/jobs/{id}/restore");
    public static readonly ApiRoute JobsPause = new("jobs.pause", "POST", "/api/v1/jobs/{id}/pause");
    public static readonly ApiRoute JobsResume = new("jobs.resume", "POST", "/api/v1/jobs/{id}/resume");
    public static readonly ApiRoute JobsTrigger = new("jobs.trigger", "POST", "/api/v1/jobs/{id}/trigger");
    public static readonly ApiRoute JobsRuns = new("jobs.runs", "GET", "/api/v1/jobs/{id}/runs");
    public static readonly ApiRoute JobsPreview = new("jobs.preview", "GET", "/api/v1/jobs/{id}/schedule/preview");

    public static readonly ApiRoute RunsEnqueue = new("runs.enqueue", "POST", "/api/v1/runs");
    public static readonly ApiRoute RunsList = new("runs.list", "GET", "/api/v1/runs");
    public static readonly ApiRoute RunsGet = new("runs.get", "GET", "/api/v1/runs/{id}");
    public static readonly ApiRoute RunsRetry = new("runs.retry", "POST", "/api/v1/runs/{id}/retry");

    public static readonly ApiRoute WorkersClaim = new("workers.claim", "POST", "/api/v1/workers/claim");
    public static readonly ApiRoute WorkersHeartbeat = new("workers.heartbeat", "POST", "/api/v1/runs/{id}/heartbeat");
    public static readonly ApiRoute WorkersComplete = new("workers.complete", "POST", "/api/v1/runs/{id}/complete");
    public static readonly ApiRoute WorkersFail = new("workers.fail", "POST", "/api/v1/runs/{id}/fail");

    public static readonly ApiRoute SessionsList = new("sessions.list", "GET", "/api/v1/sessions");

    public static readonly ApiRoute StatsGet = new("stats.get", "GET", "/api/v1/stats");

    public static readonly ApiRoute ConfigList = new("config.list", "GET", "/api/v1/config");
    public static readonly ApiRoute ConfigGet = new("config.get", "GET", "/api/v1/config/{key}");
    public static readonly ApiRoute ConfigPut = new("config.put", "PUT", "/api/v1/config/{key}");
    public static readonly ApiRoute ConfigDelete = new("config.delete", "DELETE", "/api/v1/config/{key}");

    public static readonly ApiRoute KeysCreate = new("keys.create", "POST", "/api/v1/keys");
    public static readonly ApiRoute KeysList = new("keys.list", "GET", "/api/v1/keys");
    public static readonly ApiRoute KeysRevoke = new("keys.revoke", "DELETE", "/api/v1/keys/{id}");

    public static readonly ApiRoute TokensMint = new("tokens.mint", "POST", "/api/v1/tokens");
    public static readonly ApiRoute TokensRotate = new("tokens.rotate", "POST", "/api/v1/tokens/rotate");
#pragma warning restore CS1591

    /// <summary>Every route above, by name.</summary>
    public static IReadOnlyDictionary<string, ApiRoute> All { get; } = typeof(ApiRoutes)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Where(f => f.FieldType == typeof(ApiRoute))
        .Select(f => (ApiRoute)f.GetValue(null)!)
        .ToDictionary(r => r.Name, StringComparer.Ordinal);
}
