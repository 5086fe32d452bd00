using SpectralNotify.Client.Internal;
using SpectralNotify.Client.Models;

namespace SpectralNotify.Client.Resources;

/// <summary>
/// <c>/api/v1/runs</c>: one-off runs, the run list, a run, and retrying a dead-lettered or canceled
/// run. A run's id is its task's id: its progress and events are on <see cref="SpectralClient.Tasks"/>.
/// </summary>
public sealed class RunsResource
{
    private readonly SpectralHttp http;

    internal RunsResource(SpectralHttp http) => this.http = http;

    /// <summary>Enqueues 1 to 250 runs in one transaction (201). With <see cref="EnqueueRunsRequest.Token"/> no automatic Idempotency-Key is sent.</summary>
    [ApiRouteName("runs.enqueue")]
    public Task<RunBatch> EnqueueAsync(EnqueueRunsRequest request, RequestOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var call = request.Token is null ? options : options.WithoutAutomaticKey();
        return http.CallAsync<RunBatch>(ApiRoutes.RunsEnqueue, ApiRoutes.RunsEnqueue.Path(), request, call, ct);
    }

    /// <summary>Enqueues one run.</summary>
    public async Task<Run> EnqueueAsync(EnqueueRunRequest run, RequestOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        var batch = await EnqueueAsync(new EnqueueRunsRequest { Runs = [run] }, options, ct).ConfigureAwait(false);
        return batch.Runs[0];
    }

    /// <summary>Runs of every job and one-off runs, newest change first (one page: the server has no cursor here).</summary>
    [ApiRouteName("runs.list")]
    public async Task<IReadOnlyList<Run>> ListAsync(RunQuery? query = null, CancellationToken ct = default)
    {
        query ??= new RunQuery();
        var q = new QueryString().Add("status", query.Status).Add("state", query.State).Add("type", query.Type).Add("queue", query.Queue)
            .Add("jobId", query.JobId).Add("createdAfter", query.CreatedAfter).Add("createdBefore", query.CreatedBefore).Add("limit", query.Limit);
        return (await http.CallAsync<Page<Run>>(ApiRoutes.RunsList, ApiRoutes.RunsList.Path() + q, null, null, ct).ConfigureAwait(false)).Data;
    }

    /// <summary>Reads a run with its task's status.</summary>
    [ApiRouteName("runs.get")]
    public Task<Run> GetAsync(string id, CancellationToken ct = default) =>
        http.CallAsync<Run>(ApiRoutes.RunsGet, ApiRoutes.RunsGet.Path(id), null, null, ct);

    /// <summary>
    /// Runs a failed (dead-lettered) or canceled run again as a new run, due now, with the same job,
    /// type, payload and queue settings (201); 409 for a run that is not finished that way.
    /// </summary>
    [ApiRouteName("runs.retry")]
    public Task<Run> RetryAsync(string id, RequestOptions? options = null, CancellationToken ct = default) =>
        http.CallAsync<Run>(ApiRoutes.RunsRetry, ApiRoutes.RunsRetry.Path(id), null, options, ct);

    /// <summary>Cancels a run (its task): a pending run ends at once, a running one's worker is asked to stop.</summary>
    [ApiRouteName("tasks.cancel")]
    public Task<SpectralTask> CancelAsync(string id, string? reason = null, RequestOptions? options = null, CancellationToken ct = default) =>
        http.CallAsync<SpectralTask>(ApiRoutes.TasksCancel, ApiRoutes.TasksCancel.Path(id), new CancelTaskRequest { Reason = reason }, options, ct);
}
