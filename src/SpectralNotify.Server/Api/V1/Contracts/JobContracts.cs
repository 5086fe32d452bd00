using System.Text.Json;
using System.Text.Json.Serialization;
using SpectralNotify.Jobs;

namespace SpectralNotify.Server.Api.V1.Contracts;

/// <summary>A job definition as the v1 API shows it; <c>schedule</c> is null for a manual job.</summary>
public sealed record JobDto(
    string Id, string Type, JsonElement Payload, string Queue, int Priority, int MaxRetries, int? TimeoutSeconds,
    JsonElement? Schedule, string Misfire, string? UniqueKey, string State, string? CreatedBy, DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt, DateTimeOffset? DeletedAt, long Version, DateTimeOffset? NextFireAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] RunDto? Run = null)
{
    public static JobDto From(Job j, RunDto? run = null) => new(
        j.Id, j.Type, TaskDto.Json(j.Payload), j.Queue, j.Priority, j.MaxRetries, j.TimeoutSeconds,
        JobScheduleJson.Format(j.Schedule) is { } s ? TaskDto.Json(s) : null, j.Misfire, j.UniqueKey, j.State, j.CreatedBy,
        j.CreatedAt, j.UpdatedAt, j.DeletedAt, j.Version, j.NextFireAt, run);
}

/// <summary>
/// A run: the queue's view (<c>state</c>: pending, running, done) and its task's <c>status</c>. Its id
/// is its task's id, so <c>/api/v1/tasks/{id}</c>, its events and <c>/ws/task/{id}</c> show it live.
/// <c>leaseToken</c> is only sent to the worker that claimed it. <c>updatedAt</c> is its task's (every
/// change to a run changes its task), the order of <c>GET /api/v1/runs</c> and of live run lists; it is
/// sent wherever the task was read with the run.
/// </summary>
public sealed record RunDto(
    string Id, string? JobId, string Type, string Queue, int Priority, JsonElement Payload, int Attempt, int MaxRetries,
    int? TimeoutSeconds, DateTimeOffset RunAt, DateTimeOffset ScheduledAt, string State, string? Status, string? WorkerId,
    DateTimeOffset? LeaseExpiresAt, bool CancelRequested, JsonElement? Result, string? UniqueKey, DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt, int WaitingForDependencies,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? LeaseToken = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? UpdatedAt = null)
{
    public static RunDto From(JobRun r, Tasks.TaskState? status, bool withToken = false) => new(
        r.TaskId, r.JobId, r.Type, r.Queue, r.Priority, TaskDto.Json(r.Payload), r.Attempt, r.MaxRetries, r.TimeoutSeconds,
        r.RunAt, r.ScheduledAt, r.State, status is { } s ? Tasks.TaskStateNames.ToWire(s) : null, r.WorkerId, r.LeaseExpiresAt,
        r.CancelRequested, r.Result is null ? null : TaskDto.Json(r.Result), r.UniqueKey, r.CreatedAt, r.ExpiresAt, r.Blocked,
        withToken ? r.LeaseToken : null);

    /// <summary>A run with the task read alongside it: its status and <c>updatedAt</c>.</summary>
    public static RunDto From(JobRun r, Tasks.TaskItem? task, bool withToken = false) =>
        From(r, task?.Status, withToken) with { UpdatedAt = task?.UpdatedAt };

    public static RunDto From(RunChange c, bool withToken = false) => From(c.Run, c.Task.Task, withToken);
}

/// <summary>POST /api/v1/jobs. <c>schedule</c>: <c>{"cron","timezone"}</c>, <c>{"intervalSeconds"}</c>, <c>{"at"}</c>, or absent for manual.</summary>
/// <remarks>JsonElement fields stay Undefined when absent and Null for JSON null (the OpenAPI exporter cannot show a default for them, hence no <c>= default</c>).</remarks>
public sealed record CreateJobRequest(
    JsonElement Schedule, string? Id = null, string? Type = null, JsonElement? Payload = null, string? Queue = null, int? Priority = null,
    int? MaxRetries = null, int? TimeoutSeconds = null, string? Misfire = null, string? UniqueKey = null, string? State = null, bool? RunNow = null);

/// <summary>PATCH /api/v1/jobs/{id}: only the fields present change; <c>"schedule": null</c> makes the job manual.</summary>
public sealed record PatchJobRequest(
    JsonElement TimeoutSeconds, JsonElement Schedule, JsonElement UniqueKey, string? Type = null, JsonElement? Payload = null,
    string? Queue = null, int? Priority = null, int? MaxRetries = null, string? Misfire = null);

/// <summary>One run to enqueue without a job definition (POST /api/v1/runs).</summary>
public sealed record EnqueueRunRequest(
    string? Id = null, string? Type = null, JsonElement? Payload = null, string? Queue = null, int? Priority = null,
    int? MaxRetries = null, int? TimeoutSeconds = null, DateTimeOffset? RunAt = null, string? UniqueKey = null,
    DateTimeOffset? ExpiresAt = null, IReadOnlyList<string>? DependsOn = null);

public sealed record EnqueueRunsRequest(IReadOnlyList<EnqueueRunRequest>? Runs = null, TokenOnCreateRequest? Token = null);

/// <summary>POST /api/v1/workers/claim.</summary>
public sealed record ClaimRunsRequest(
    string? WorkerId = null, IReadOnlyList<string>? Queues = null, IReadOnlyList<string>? Types = null, int? Max = null,
    int? LeaseSeconds = null, int? WaitSeconds = null);

public sealed record ClaimRunsResponse(IReadOnlyList<RunDto> Runs,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] TokenDto? Token = null);

public sealed record HeartbeatRequest(string? LeaseToken = null, int? LeaseSeconds = null);

public sealed record HeartbeatResponse(DateTimeOffset? LeaseExpiresAt, bool CancelRequested);

public sealed record CompleteRunRequest(string? LeaseToken = null, JsonElement? Result = null);

public sealed record FailRunRequest(string? LeaseToken = null, string? Error = null, bool? Retryable = null, int? RetryAfterSeconds = null);

/// <summary>The next fire times of a schedule, as ISO-8601 local times with their UTC offset in the schedule's time zone.</summary>
public sealed record SchedulePreview(string? TimeZone, IReadOnlyList<string> Times);
