using System.Runtime.CompilerServices;
using System.Text.Json;
using SpectralNotify.Client.Internal;
using SpectralNotify.Client.Models;

namespace SpectralNotify.Client.Resources;

/// <summary><c>/api/v1/workflows</c>: weighted, hierarchical phases whose progress rolls up.</summary>
public sealed class WorkflowsResource
{
    private readonly SpectralHttp http;

    internal WorkflowsResource(SpectralHttp http) => this.http = http;

    /// <summary>Creates a workflow with its phases (201). With <see cref="CreateWorkflowRequest.Token"/> no automatic Idempotency-Key is sent.</summary>
    [ApiRouteName("workflows.create")]
    public Task<Workflow> CreateAsync(CreateWorkflowRequest request, RequestOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var call = request.Token is null ? options : options.WithoutAutomaticKey();
        return http.CallAsync<Workflow>(ApiRoutes.WorkflowsCreate, ApiRoutes.WorkflowsCreate.Path(), request, call, ct);
    }

    /// <summary>One page of workflows, newest first (without their phases).</summary>
    [ApiRouteName("workflows.list")]
    public Task<Page<Workflow>> ListAsync(WorkflowQuery? query = null, CancellationToken ct = default)
    {
        query ??= new WorkflowQuery();
        var q = new QueryString().Add("status", query.Status).Add("limit", query.Limit).Add("cursor", query.Cursor);
        return http.CallAsync<Page<Workflow>>(ApiRoutes.WorkflowsList, ApiRoutes.WorkflowsList.Path() + q, null, null, ct);
    }

    /// <summary>Every workflow matching <paramref name="query"/>, page after page.</summary>
    public async IAsyncEnumerable<Workflow> ListAllAsync(WorkflowQuery? query = null, [EnumeratorCancellation] CancellationToken ct = default)
    {
        query ??= new WorkflowQuery();
        while (true)
        {
            var page = await ListAsync(query, ct).ConfigureAwait(false);
            foreach (var workflow in page.Data)
            {
                yield return workflow;
            }
            if (page.Next is null)
            {
                yield break;
            }
            query = query with { Cursor = page.Next };
        }
    }

    /// <summary>Reads a workflow with its phases.</summary>
    [ApiRouteName("workflows.get")]
    public Task<Workflow> GetAsync(string id, CancellationToken ct = default) =>
        http.CallAsync<Workflow>(ApiRoutes.WorkflowsGet, ApiRoutes.WorkflowsGet.Path(id), null, null, ct);

    /// <summary>Deletes a workflow (admin).</summary>
    [ApiRouteName("workflows.delete")]
    public Task DeleteAsync(string id, CancellationToken ct = default) =>
        http.CallAsync(ApiRoutes.WorkflowsDelete, ApiRoutes.WorkflowsDelete.Path(id), null, null, ct);

    /// <summary>The workflow's phases in order.</summary>
    [ApiRouteName("workflows.phases")]
    public async Task<IReadOnlyList<WorkflowPhase>> ListPhasesAsync(string id, CancellationToken ct = default) =>
        (await http.CallAsync<Page<WorkflowPhase>>(ApiRoutes.WorkflowsPhases, ApiRoutes.WorkflowsPhases.Path(id), null, null, ct).ConfigureAwait(false)).Data;

    /// <summary>Sets a leaf phase's progress (0–100); 409 for a parent phase or a terminal workflow.</summary>
    [ApiRouteName("workflows.phaseProgress")]
    public Task<Workflow> PhaseProgressAsync(string id, string phaseKey, double progress, JsonElement? metadata = null, RequestOptions? options = null, CancellationToken ct = default) =>
        http.CallAsync<Workflow>(ApiRoutes.WorkflowsPhaseProgress, ApiRoutes.WorkflowsPhaseProgress.Path(id, phaseKey),
            new PhaseProgressBody(progress, metadata), options, ct);

    /// <summary>Completes a leaf phase.</summary>
    [ApiRouteName("workflows.phaseComplete")]
    public Task<Workflow> CompletePhaseAsync(string id, string phaseKey, JsonElement? metadata = null, RequestOptions? options = null, CancellationToken ct = default) =>
        http.CallAsync<Workflow>(ApiRoutes.WorkflowsPhaseComplete, ApiRoutes.WorkflowsPhaseComplete.Path(id, phaseKey), new MetadataBody(metadata), options, ct);

    /// <summary>Completes the workflow.</summary>
    [ApiRouteName("workflows.complete")]
    public Task<Workflow> CompleteAsync(string id, JsonElement? metadata = null, RequestOptions? options = null, CancellationToken ct = default) =>
        http.CallAsync<Workflow>(ApiRoutes.WorkflowsComplete, ApiRoutes.WorkflowsComplete.Path(id), new MetadataBody(metadata), options, ct);

    /// <summary>Fails the workflow with <paramref name="error"/>.</summary>
    [ApiRouteName("workflows.fail")]
    public Task<Workflow> FailAsync(string id, string error, JsonElement? metadata = null, RequestOptions? options = null, CancellationToken ct = default) =>
        http.CallAsync<Workflow>(ApiRoutes.WorkflowsFail, ApiRoutes.WorkflowsFail.Path(id), new FailBody(error, metadata), options, ct);

    /// <summary>Cancels the workflow.</summary>
    [ApiRouteName("workflows.cancel")]
    public Task<Workflow> CancelAsync(string id, JsonElement? metadata = null, RequestOptions? options = null, CancellationToken ct = default) =>
        http.CallAsync<Workflow>(ApiRoutes.WorkflowsCancel, ApiRoutes.WorkflowsCancel.Path(id), new MetadataBody(metadata), options, ct);

    /// <summary>The tasks created with this <c>workflowId</c>, by sequence.</summary>
    [ApiRouteName("workflows.tasks")]
    public async Task<IReadOnlyList<SpectralTask>> ListTasksAsync(string id, CancellationToken ct = default) =>
        (await http.CallAsync<Page<SpectralTask>>(ApiRoutes.WorkflowsTasks, ApiRoutes.WorkflowsTasks.Path(id), null, null, ct).ConfigureAwait(false)).Data;

    /// <summary>One page of the workflow's history, oldest first, after seq <paramref name="after"/>.</summary>
    [ApiRouteName("workflows.events")]
    public Task<Page<WorkflowEvent>> ListEventsAsync(string id, long? after = null, int? limit = null, CancellationToken ct = default) =>
        http.CallAsync<Page<WorkflowEvent>>(ApiRoutes.WorkflowsEvents,
            ApiRoutes.WorkflowsEvents.Path(id) + new QueryString().Add("after", after).Add("limit", limit), null, null, ct);

    /// <summary>The workflow's whole history after seq <paramref name="after"/>, page after page.</summary>
    public IAsyncEnumerable<WorkflowEvent> ListEventsAllAsync(string id, long? after = null, int? pageSize = null, CancellationToken ct = default) =>
        SeqPager.AllAsync((a, c) => ListEventsAsync(id, a, pageSize, c), after, ct);

    private sealed record PhaseProgressBody(double Progress, JsonElement? Metadata);

    private sealed record MetadataBody(JsonElement? Metadata);

    private sealed record FailBody(string Error, JsonElement? Metadata);
}
