using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using SpectralNotify.Tasks;

namespace SpectralNotify.Server.Api;

/// <summary>
/// Maps domain outcomes and request-reading failures to RFC 9457 problem details, so no client
/// mistake ever surfaces as a 500. Anything else is a bug and stays a 500.
/// </summary>
public sealed class Problems : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        var (status, title, detail, extensions) = Map(exception);
        if (status == 0 || http.Response.HasStarted)
        {
            return false;
        }
        if (status == 503)
        {
            http.Response.Headers.RetryAfter = RetryAfterSeconds;
        }
        await WriteAsync(http, status, title, detail, extensions, exception);
        return true;
    }

    /// <summary>
    /// Writes a problem answer through <see cref="IProblemDetailsService"/>, or as plain
    /// <c>application/problem+json</c> when no problem writer accepts the request's <c>Accept</c> header
    /// (<c>application/xml</c>, <c>text/event-stream</c>): refusing to write would turn a client mistake into a 500.
    /// </summary>
    public static async Task WriteAsync(HttpContext http, int status, string title, string detail,
        IReadOnlyDictionary<string, object?> extensions, Exception? exception = null)
    {
        http.Response.StatusCode = status;
        var context = new ProblemDetailsContext
        {
            HttpContext = http,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        };
        foreach (var (k, v) in extensions)
        {
            context.ProblemDetails.Extensions[k] = v;
        }
        if (!await http.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(context))
        {
            await http.Response.WriteAsJsonAsync(context.ProblemDetails, (JsonSerializerOptions?)null, "application/problem+json", http.RequestAborted);
        }
    }

    /// <summary>The <c>Retry-After</c> of every 503: the database faults behind them are usually brief.</summary>
    public static readonly string RetryAfterSeconds =
        ((int)SpectralNotify.Storage.StoreUnavailableException.RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static (int Status, string Title, string Detail, Dictionary<string, object?> Extensions) Map(Exception ex)
    {
        var ext = new Dictionary<string, object?>();
        // The one place where PostgreSQL connection loss (restart, terminated backend, refused
        // connection) becomes a 503, for every route, the compat surface and idempotent replays alike.
        if (SpectralNotify.Postgres.PostgresFaults.AsUnavailable(ex) is { } unavailable)
        {
            ex = unavailable;
        }
        switch (ex)
        {
            case TaskNotFoundException e:
                ext["taskId"] = e.TaskId;
                return (404, "Task not found", e.Message, ext);
            case TaskAlreadyExistsException e:
                ext["taskId"] = e.TaskId;
                return (409, "Task already exists", e.Message, ext);
            case TaskTerminalException e:
                ext["taskId"] = e.TaskId;
                ext["currentStatus"] = e.Status.ToWire();
                return (409, "Task is in a terminal state", e.Message, ext);
            case SpectralNotify.Workflows.WorkflowNotFoundException e:
                ext["workflowId"] = e.WorkflowId;
                return (404, "Workflow not found", e.Message, ext);
            case SpectralNotify.Workflows.WorkflowAlreadyExistsException e:
                ext["workflowId"] = e.WorkflowId;
                return (409, "Workflow already exists", e.Message, ext);
            case SpectralNotify.Workflows.WorkflowTerminalException e:
                ext["currentStatus"] = e.Status.ToWire();
                return (409, "Workflow is in a terminal state", e.Message, ext);
            case SpectralNotify.Workflows.PhaseNotFoundException e:
                return (404, "Phase not found", e.Message, ext);
            case SpectralNotify.Workflows.ParentPhaseException e:
                return (409, "Parent phase progress rolls up", e.Message, ext);
            case SpectralNotify.Counters.CounterNotFoundException e:
                ext["name"] = e.Name;
                return (404, "Counter not found", e.Message, ext);
            case SpectralNotify.Counters.CounterAlreadyExistsException e:
                ext["name"] = e.Name;
                return (409, "Counter already exists", e.Message, ext);
            case SpectralNotify.Counters.CounterOverflowException e:
                ext["name"] = e.Name;
                return (409, "Counter would overflow", e.Message, ext);
            case SpectralNotify.Tools.ToolNotFoundException e:
                ext["toolExecutionId"] = e.ExecutionId;
                return (404, "Tool execution not found", e.Message, ext);
            case SpectralNotify.Tools.ToolNotRunningException e:
                ext["toolExecutionId"] = e.ExecutionId;
                ext["currentStatus"] = e.Status;
                return (409, "Tool execution already finished", e.Message, ext);
            case SpectralNotify.Jobs.JobNotFoundException e:
                ext["jobId"] = e.JobId;
                return (404, "Job not found", e.Message, ext);
            case SpectralNotify.Jobs.JobAlreadyExistsException e:
                ext["jobId"] = e.JobId;
                return (409, "Job already exists", e.Message, ext);
            case SpectralNotify.Jobs.JobVersionMismatchException e:
                ext["jobId"] = e.JobId;
                ext["version"] = e.Actual;
                return (412, "Version mismatch", e.Message, ext);
            case SpectralNotify.Jobs.RunNotFoundException e:
                ext["runId"] = e.TaskId;
                return (404, "Run not found", e.Message, ext);
            case SpectralNotify.Jobs.LeaseLostException e:
                ext["runId"] = e.TaskId;
                return (409, "Lease lost", e.Message, ext);
            case SpectralNotify.Jobs.TaskIsJobRunException e:
                ext["taskId"] = e.TaskId;
                return (409, "Task is a job run", e.Message, ext);
            case SpectralNotify.Jobs.RunNotRetryableException e:
                ext["runId"] = e.TaskId;
                ext["state"] = e.State;
                return (409, "Run cannot be retried", e.Message, ext);
            case SpectralNotify.Jobs.RunUniqueConflictException e:
                ext["uniqueKey"] = e.UniqueKey;
                ext["existingRunId"] = e.ExistingTaskId;
                return (409, "Unique key taken", e.Message, ext);
            case SpectralNotify.Keys.ApiKeyNotFoundException e:
                ext["keyId"] = e.KeyId;
                return (404, "API key not found", e.Message, ext);
            case SpectralNotify.Keys.ApiKeyNameTakenException e:
                ext["name"] = e.Name;
                return (409, "API key name taken", e.Message, ext);
            case SpectralNotify.Keys.ApiKeyConfiguredException e:
                ext["keyId"] = e.KeyId;
                return (409, "API key is configured", e.Message, ext);
            case TaskVersionMismatchException e:
                ext["taskId"] = e.TaskId;
                ext["version"] = e.Actual;
                return (412, "Version mismatch", e.Message, ext);
            case BatchOperationException e:
                var (status, title, _, inner) = Map(e.Inner);
                foreach (var (k, v) in inner)
                {
                    ext[k] = v;
                }
                ext["index"] = e.Index;
                return (status, title, e.Message + " The batch was rolled back; nothing was written.", ext);
            case SpectralNotify.Storage.StoreUnavailableException e:
                return (503, "Database unavailable", e.Message, ext);
            case System.Data.Common.DbException { IsTransient: true }:
                // Connection loss, failover, too many connections. Retrying is safe with an Idempotency-Key (a 5xx releases the key).
                return (503, "Database unavailable", "The database is temporarily unavailable; retry the request.", ext);
            case BadHttpRequestException e:
                var described = Describe(e);
                if (JsonError(e) is { Path: ['$', '.', .. var field] })
                {
                    // The same shape as a validation problem: errors keyed by the field (runs[0].payload).
                    ext["errors"] = new Dictionary<string, string[]> { [field] = [described] };
                }
                return (e.StatusCode, e.StatusCode == 413 ? "Request body too large" : "Bad request", described, ext);
            default:
                return (0, "", "", ext);
        }
    }

    /// <summary>Names the JSON path and rule when the body could not be read as the expected shape.</summary>
    private static string Describe(BadHttpRequestException e)
    {
        if (e.StatusCode == 413)
        {
            return $"The request body exceeds the limit of {V1.Limits.MaxBodyBytes} bytes (1 MiB).";
        }
        if (JsonError(e) is { } je)
        {
            var where = je.Path is { Length: > 0 } path ? $" at {path}" : "";
            return $"The body is malformed JSON or has a value of the wrong type{where}: {je.Message}";
        }
        return e.Message;
    }

    private static JsonException? JsonError(BadHttpRequestException e)
    {
        for (Exception? inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is JsonException je)
            {
                return je;
            }
        }
        return null;
    }
}
