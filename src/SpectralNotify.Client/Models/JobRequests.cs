using System.Text.Json;
using System.Text.Json.Serialization;

namespace SpectralNotify.Client.Models;

/// <summary><c>POST /api/v1/jobs</c>.</summary>
public sealed record CreateJobRequest
{
    /// <summary>The job's id, or null for a generated one.</summary>
    public string? Id { get; init; }

    /// <summary>The handler type; required.</summary>
    public string? Type { get; init; }

    /// <summary>Any JSON; <c>{}</c> when null.</summary>
    public JsonElement? Payload { get; init; }

    /// <summary>The queue (<c>default</c> when null).</summary>
    public string? Queue { get; init; }

    /// <summary>The priority (50 when null).</summary>
    public int? Priority { get; init; }

    /// <summary>Retries after the first attempt (3 when null).</summary>
    public int? MaxRetries { get; init; }

    /// <summary>The time one attempt may take.</summary>
    public int? TimeoutSeconds { get; init; }

    /// <summary>The schedule; null makes a manual job.</summary>
    public JobSchedule? Schedule { get; init; }

    /// <summary><c>fireOnce</c> (default) or <c>skip</c>.</summary>
    public string? Misfire { get; init; }

    /// <summary>At most one unfinished run with this key.</summary>
    public string? UniqueKey { get; init; }

    /// <summary><c>active</c> (default) or <c>paused</c>.</summary>
    public string? State { get; init; }

    /// <summary>For a manual job: enqueue a run at once (answered in <see cref="Job.Run"/>).</summary>
    public bool? RunNow { get; init; }
}

/// <summary>
/// <c>PATCH /api/v1/jobs/{id}</c> (needs If-Match): only the fields set change. The <c>Clear…</c>
/// flags send an explicit null, which removes the schedule (the job becomes manual), the timeout
/// or the unique key.
/// </summary>
public sealed record UpdateJobRequest
{
    /// <summary>The new handler type.</summary>
    public string? Type { get; init; }

    /// <summary>The new payload.</summary>
    public JsonElement? Payload { get; init; }

    /// <summary>The new queue.</summary>
    public string? Queue { get; init; }

    /// <summary>The new priority.</summary>
    public int? Priority { get; init; }

    /// <summary>The new retry count.</summary>
    public int? MaxRetries { get; init; }

    /// <summary>The new timeout.</summary>
    public int? TimeoutSeconds { get; init; }

    /// <summary>The new schedule.</summary>
    public JobSchedule? Schedule { get; init; }

    /// <summary>The new misfire policy.</summary>
    public string? Misfire { get; init; }

    /// <summary>The new unique key.</summary>
    public string? UniqueKey { get; init; }

    /// <summary>Makes the job manual (sends <c>"schedule": null</c>).</summary>
    [JsonIgnore]
    public bool ClearSchedule { get; init; }

    /// <summary>Removes the timeout (sends <c>"timeoutSeconds": null</c>).</summary>
    [JsonIgnore]
    public bool ClearTimeout { get; init; }

    /// <summary>Removes the unique key (sends <c>"uniqueKey": null</c>).</summary>
    [JsonIgnore]
    public bool ClearUniqueKey { get; init; }
}

/// <summary>The filter and page of <c>GET /api/v1/jobs</c>.</summary>
public sealed record JobQuery
{
    /// <summary>An exact handler type.</summary>
    public string? Type { get; init; }

    /// <summary>An exact queue.</summary>
    public string? Queue { get; init; }

    /// <summary><c>active</c> or <c>paused</c>.</summary>
    public string? State { get; init; }

    /// <summary>Also list soft-deleted jobs.</summary>
    public bool? IncludeDeleted { get; init; }

    /// <summary>1–500; the server's default is 50.</summary>
    public int? Limit { get; init; }

    /// <summary>The <see cref="Page{T}.Next"/> of the previous page.</summary>
    public string? Cursor { get; init; }
}
