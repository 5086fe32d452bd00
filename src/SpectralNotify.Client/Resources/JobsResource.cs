using System.Runtime.CompilerServices;
using System.Text.Json;
using SpectralNotify.Client.Internal;
using SpectralNotify.Client.Models;

namespace SpectralNotify.Client.Resources;

/// <summary>
/// <c>/api/v1/jobs</c>: job definitions with schedules (cron, interval, one time, manual), soft delete,
/// pause and resume, triggers and their runs. Changes honour <see cref="RequestOptions.IfMatch"/>
/// (the job's <see cref="Job.Version"/>); <see cref="UpdateAsync"/> requires it.
/// </summary>
public sealed class JobsResource
{
    private readonly SpectralHttp http;

    internal JobsResource(SpectralHttp http) => this.http = http;

    /// <summary>Creates a job (201); 409 when the id exists.</summary>
    [ApiRouteName("jobs.create")]
    public Task<Job> CreateAsync(CreateJobRequest request, RequestOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return http.CallAsync<Job>(ApiRoutes.JobsCreate, ApiRoutes.JobsCreate.Path(), request, options, ct);
    }

    /// <summary>One page of jobs.</summary>
    [ApiRouteName("jobs.list")]
    public Task<Page<Job>> ListAsync(JobQuery? query = null, CancellationToken ct = default)
    {
        query ??= new JobQuery();
        var q = new QueryString().Add("type", query.Type).Add("queue", query.Queue).Add("state", query.State)
            .Add("includeDeleted", query.IncludeDeleted).Add("limit", query.Limit).Add("cursor", query.Cursor);
        return http.CallAsync<Page<Job>>(ApiRoutes.JobsList, ApiRoutes.JobsList.Path() + q, null, null, ct);
    }

    /// <summary>Every job matching <paramref name="query"/>, page after page.</summary>
    public async IAsyncEnumerable<Job> ListAllAsync(JobQuery? query = null, [EnumeratorCancellation] CancellationToken ct = default)
    {
        query ??= new JobQuery();
        while (true)
        {
            var page = await ListAsync(query, ct).ConfigureAwait(false);
            foreach (var job in page.Data)
            {
                yield return job;
            }
            if (page.Next is null)
            {
                yield break;
            }
            query = query with { Cursor = page.Next };
        }
    }

    /// <summary>Reads a job (deleted ones too).</summary>
    [ApiRouteName("jobs.get")]
    public Task<Job> GetAsync(string id, CancellationToken ct = default) =>
        http.CallAsync<Job>(ApiRoutes.JobsGet, ApiRoutes.JobsGet.Path(id), null, null, ct);

    /// <summary>
    /// Changes the fields set in <paramref name="request"/>. <paramref name="options"/> must carry
    /// <see cref="RequestOptions.IfMatch"/> (the server answers 428 without it, 412 when stale).
    /// </summary>
    [ApiRouteName("jobs.update")]
    public Task<Job> UpdateAsync(string id, UpdateJobRequest request, RequestOptions? options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        // The Clear… flags are explicit nulls, which the shared options (nulls left out) cannot write.
        var body = JsonSerializer.SerializeToNode(request, SpectralJson.Options)!.AsObject();
        if (request.ClearSchedule)
        {
            body["schedule"] = null;
        }
        if (request.ClearTimeout)
        {
            body["timeoutSeconds"] = null;
        }
        if (request.ClearUniqueKey)
        {
            body["uniqueKey"] = null;
        }
        return http.CallAsync<Job>(ApiRoutes.JobsUpdate, ApiRoutes.JobsUpdate.Path(id), body, options, ct);
    }

    /// <summary>Soft-deletes a job: it stops firing and <see cref="RestoreAsync"/> brings it back.</summary>
    [ApiRouteName("jobs.delete")]
    public Task<Job> DeleteAsync(string id, RequestOptions? options = null, CancellationToken ct = default) =>
        http.CallAsync<Job>(ApiRoutes.JobsDelete, ApiRoutes.JobsDelete.Path(id), null, options, ct);

    /// <summary>Undoes a soft delete.</summary>
    [ApiRouteName("jobs.restore")]
    public Task<Job> RestoreAsync(string id, RequestOptions? options = null, CancellationToken ct = default) =>
        http.CallAsync<Job>(ApiRoutes.JobsRestore, ApiRoutes.JobsRestore.Path(id), null, options, ct);

    /// <summary>Stops the job firing until <see cref="ResumeAsync"/>.</summary>
    [ApiRouteName("jobs.pause")]
    public Task<Job> PauseAsync(string id, RequestOptions? options = null, CancellationToken ct = default) =>
        http.CallAsync<Job>(ApiRoutes.JobsPause, ApiRoutes.JobsPause.Path(id), null, options, ct);

    /// <summary>Lets a paused job fire again.</summary>
    [ApiRouteName("jobs.resume")]
    public Task<Job> ResumeAsync(string id, RequestOptions? options = null, CancellationToken ct = default) =>
        http.CallAsync<Job>(ApiRoutes.JobsResume, ApiRoutes.JobsResume.Path(id), null, options, ct);

    /// <summary>Enqueues a run now (202), whatever the schedule.</summary>
    [ApiRouteName("jobs.trigger")]
    public Task<Run> TriggerAsync(string id, RequestOptions? options = null, CancellationToken ct = default) =>
        http.CallAsync<Run>(ApiRoutes.JobsTrigger, ApiRoutes.JobsTrigger.Path(id), null, options, ct);

    /// <summary>The job's latest runs (one page, newest first).</summary>
    [ApiRouteName("jobs.runs")]
    public async Task<IReadOnlyList<Run>> ListRunsAsync(string id, int? limit = null, CancellationToken ct = default) =>
        (await http.CallAsync<Page<Run>>(ApiRoutes.JobsRuns, ApiRoutes.JobsRuns.Path(id) + new QueryString().Add("limit", limit), null, null, ct)
            .ConfigureAwait(false)).Data;

    /// <summary>The next <paramref name="count"/> fire times (1–100; 10 when null).</summary>
    [ApiRouteName("jobs.preview")]
    public Task<SchedulePreview> PreviewAsync(string id, int? count = null, CancellationToken ct = default) =>
        http.CallAsync<SchedulePreview>(ApiRoutes.JobsPreview, ApiRoutes.JobsPreview.Path(id) + new QueryString().Add("count", count), null, null, ct);
}
