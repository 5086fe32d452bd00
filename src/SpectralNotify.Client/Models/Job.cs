using System.Text.Json;

namespace SpectralNotify.Client.Models;

/// <summary>A job definition (<c>GET /api/v1/jobs/{id}</c>); each firing makes a <see cref="Run"/>.</summary>
public sealed record Job
{
    /// <summary>The job's id.</summary>
    public string Id { get; init; } = "";

    /// <summary>The handler type its runs are given to.</summary>
    public string Type { get; init; } = "";

    /// <summary>The payload each run gets (any JSON).</summary>
    public JsonElement Payload { get; init; }

    /// <summary>The queue its runs go to.</summary>
    public string Queue { get; init; } = "default";

    /// <summary>0 (first) to the server's maximum.</summary>
    public int Priority { get; init; }

    /// <summary>Attempts after the first before a run is dead-lettered.</summary>
    public int MaxRetries { get; init; }

    /// <summary>The time an attempt may take, or null for no limit.</summary>
    public int? TimeoutSeconds { get; init; }

    /// <summary>The schedule, or null for a manual job.</summary>
    public JobSchedule? Schedule { get; init; }

    /// <summary><c>fireOnce</c> or <c>skip</c>: what to do with firings missed while the server was down.</summary>
    public string Misfire { get; init; } = "fireOnce";

    /// <summary>At most one unfinished run with this key.</summary>
    public string? UniqueKey { get; init; }

    /// <summary><c>active</c> or <c>paused</c>.</summary>
    public string State { get; init; } = "active";

    /// <summary>The name of the key that created it.</summary>
    public string? CreatedBy { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When it was deleted (soft delete; restore undoes it).</summary>
    public DateTimeOffset? DeletedAt { get; init; }

    /// <summary>Its version: the ETag, for <see cref="RequestOptions.IfMatch"/>.</summary>
    public long Version { get; init; }

    /// <summary>When it fires next, if it is scheduled and active.</summary>
    public DateTimeOffset? NextFireAt { get; init; }

    /// <summary>Only in a create answer with <see cref="CreateJobRequest.RunNow"/>: the run it enqueued.</summary>
    public Run? Run { get; init; }
}

/// <summary>The values of <see cref="Job.State"/>.</summary>
public static class JobStates
{
    /// <summary>Fires on its schedule.</summary>
    public const string Active = "active";

    /// <summary>Does not fire until resumed.</summary>
    public const string Paused = "paused";
}

/// <summary>The next fire times of a job (<c>GET /api/v1/jobs/{id}/schedule/preview</c>).</summary>
public sealed record SchedulePreview
{
    /// <summary>The schedule's time zone (null for interval and one-time schedules).</summary>
    public string? TimeZone { get; init; }

    /// <summary>The fire times, with the UTC offset of the schedule's time zone.</summary>
    public IReadOnlyList<DateTimeOffset> Times { get; init; } = [];
}
