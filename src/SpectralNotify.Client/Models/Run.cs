using System.Text.Json;

namespace SpectralNotify.Client.Models;

/// <summary>
/// One execution of a job (or a one-off run). Its id is its task's id, so the task routes
/// (<c>/api/v1/tasks/{id}</c>, its events, a task watch) show its progress.
/// </summary>
public sealed record Run
{
    /// <summary>The run's id (= its task's id).</summary>
    public string Id { get; init; } = "";

    /// <summary>The job that fired it; null for a one-off run.</summary>
    public string? JobId { get; init; }

    /// <summary>The handler type.</summary>
    public string Type { get; init; } = "";

    /// <summary>The queue.</summary>
    public string Queue { get; init; } = "default";

    /// <summary>0 (first) to 100.</summary>
    public int Priority { get; init; }

    /// <summary>The payload (any JSON).</summary>
    public JsonElement Payload { get; init; }

    /// <summary>1 for the first attempt.</summary>
    public int Attempt { get; init; }

    /// <summary>Retries allowed after the first attempt.</summary>
    public int MaxRetries { get; init; }

    /// <summary>The time one attempt may take, or null for no limit.</summary>
    public int? TimeoutSeconds { get; init; }

    /// <summary>When it is due (moves on retries).</summary>
    public DateTimeOffset RunAt { get; init; }

    /// <summary>When it was first due.</summary>
    public DateTimeOffset ScheduledAt { get; init; }

    /// <summary>The queue's view: one of <see cref="RunStates"/>.</summary>
    public string State { get; init; } = RunStates.Pending;

    /// <summary>Its task's status (one of <see cref="TaskStatuses"/>), when the server read it.</summary>
    public string? Status { get; init; }

    /// <summary>The worker holding its lease.</summary>
    public string? WorkerId { get; init; }

    /// <summary>When the lease ends unless the worker heartbeats.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; init; }

    /// <summary>A cancel was asked for; the worker should stop.</summary>
    public bool CancelRequested { get; init; }

    /// <summary>The result of a completed run.</summary>
    public JsonElement? Result { get; init; }

    /// <summary>At most one unfinished run with this key.</summary>
    public string? UniqueKey { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When a pending run is dropped unless claimed.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>How many of the runs it depends on are not done yet.</summary>
    public int WaitingForDependencies { get; init; }

    /// <summary>Only in a claim answer: the lease token for heartbeat, complete and fail.</summary>
    public string? LeaseToken { get; init; }

    /// <summary>Its task's <c>updatedAt</c>, when the server read the task with it.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }
}

/// <summary>The values of <see cref="Run.State"/>.</summary>
public static class RunStates
{
    /// <summary>Waiting to be claimed.</summary>
    public const string Pending = "pending";

    /// <summary>Claimed by a worker, not yet started.</summary>
    public const string Reserved = "reserved";

    /// <summary>A worker holds its lease.</summary>
    public const string Running = "running";

    /// <summary>Finished (see <see cref="Run.Status"/> for how).</summary>
    public const string Done = "done";
}

/// <summary>The answer of an enqueue or a claim: <c>{"runs": [...], "token"?: …}</c>.</summary>
public sealed record RunBatch
{
    /// <summary>The runs enqueued or claimed (a claim may hold none).</summary>
    public IReadOnlyList<Run> Runs { get; init; } = [];

    /// <summary>Only when an enqueue asked for one: a read token for every run and its task.</summary>
    public AccessToken? Token { get; init; }
}
