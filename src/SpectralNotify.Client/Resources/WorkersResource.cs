using System.Text.Json;
using SpectralNotify.Client.Internal;
using SpectralNotify.Client.Models;

namespace SpectralNotify.Client.Resources;

/// <summary>
/// The HTTP worker protocol: claim runs (long poll), heartbeat to keep the lease and learn of
/// cancels, report progress and events on the run's task, complete or fail. Claims go through the
/// <c>SpectralNotify.LongPoll</c> HttpClient, whose attempt timeout outlasts the longest wait.
/// </summary>
public sealed class WorkersResource
{
    private readonly SpectralHttp http;

    internal WorkersResource(SpectralHttp http) => this.http = http;

    /// <summary>
    /// Leases up to <see cref="ClaimRunsRequest.Max"/> runs; with <see cref="ClaimRunsRequest.WaitSeconds"/>
    /// the server holds the request until work arrives or the wait ends (then <see cref="RunBatch.Runs"/>
    /// is empty). Each claimed run carries its <see cref="Run.LeaseToken"/>.
    /// </summary>
    [ApiRouteName("workers.claim")]
    public Task<RunBatch> ClaimAsync(ClaimRunsRequest request, RequestOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return http.LongPoll.CallAsync<RunBatch>(ApiRoutes.WorkersClaim, ApiRoutes.WorkersClaim.Path(), request, options, ct);
    }

    /// <summary>Extends the lease; the answer says whether a cancel was asked for. 409 when the lease was lost.</summary>
    [ApiRouteName("workers.heartbeat")]
    public Task<HeartbeatResult> HeartbeatAsync(string runId, string leaseToken, int? leaseSeconds = null, CancellationToken ct = default) =>
        http.CallAsync<HeartbeatResult>(ApiRoutes.WorkersHeartbeat, ApiRoutes.WorkersHeartbeat.Path(runId),
            new HeartbeatRequest { LeaseToken = leaseToken, LeaseSeconds = leaseSeconds }, null, ct);

    /// <summary>Completes the run with its result.</summary>
    [ApiRouteName("workers.complete")]
    public Task<Run> CompleteAsync(string runId, string leaseToken, JsonElement? result = null, CancellationToken ct = default) =>
        http.CallAsync<Run>(ApiRoutes.WorkersComplete, ApiRoutes.WorkersComplete.Path(runId),
            new CompleteRunRequest { LeaseToken = leaseToken, Result = result }, null, ct);

    /// <summary>
    /// Fails the attempt: retried with the run's backoff (or after <paramref name="retryAfter"/>) while
    /// retries remain, unless <paramref name="retryable"/> is false, which dead-letters it now.
    /// </summary>
    [ApiRouteName("workers.fail")]
    public Task<Run> FailAsync(string runId, string leaseToken, string error, bool retryable = true, TimeSpan? retryAfter = null, CancellationToken ct = default) =>
        http.CallAsync<Run>(ApiRoutes.WorkersFail, ApiRoutes.WorkersFail.Path(runId), new FailRunRequest
        {
            LeaseToken = leaseToken,
            Error = error,
            Retryable = retryable,
            RetryAfterSeconds = retryAfter is { } wait ? (int)Math.Ceiling(wait.TotalSeconds) : null,
        }, null, ct);

    /// <summary>Reports the run's progress on its task.</summary>
    [ApiRouteName("tasks.progress")]
    public Task<SpectralTask> ProgressAsync(string runId, double progress, string? message = null, CancellationToken ct = default) =>
        http.CallAsync<SpectralTask>(ApiRoutes.TasksProgress, ApiRoutes.TasksProgress.Path(runId), new ProgressRequest { Progress = progress, Message = message }, null, ct);

    /// <summary>Appends an event to the run's task.</summary>
    [ApiRouteName("tasks.addEvent")]
    public Task<TaskEvent> EventAsync(string runId, string message, string type = TaskEventTypes.Log, double? progress = null, CancellationToken ct = default) =>
        http.CallAsync<TaskEvent>(ApiRoutes.TasksAddEvent, ApiRoutes.TasksAddEvent.Path(runId),
            new AddEventRequest { Type = type, Message = message, Progress = progress }, null, ct);
}
