using System.Text.Json;
using SpectralNotify.Client.Internal;
using SpectralNotify.Client.Models;

namespace SpectralNotify.Client.Resources;

/// <summary>
/// <c>/api/v1/tasks/{id}/tools</c>: tool executions of a task (an agent's tool calls). Each start and
/// finish also appends an event to the task, so watchers see them live.
/// </summary>
public sealed class ToolsResource
{
    private readonly SpectralHttp http;

    internal ToolsResource(SpectralHttp http) => this.http = http;

    /// <summary>The task's executions, oldest first.</summary>
    [ApiRouteName("tools.list")]
    public async Task<IReadOnlyList<ToolExecution>> ListAsync(string taskId, CancellationToken ct = default) =>
        (await http.CallAsync<Page<ToolExecution>>(ApiRoutes.ToolsList, ApiRoutes.ToolsList.Path(taskId), null, null, ct).ConfigureAwait(false)).Data;

    /// <summary>Starts an execution (201, status <c>running</c>); a pending task becomes in-progress, a terminal one answers 409.</summary>
    [ApiRouteName("tools.start")]
    public Task<ToolExecution> StartAsync(string taskId, string toolName, JsonElement? arguments = null, RequestOptions? options = null, CancellationToken ct = default) =>
        http.CallAsync<ToolExecution>(ApiRoutes.ToolsStart, ApiRoutes.ToolsStart.Path(taskId),
            new StartToolRequest { ToolName = toolName, Arguments = arguments }, options, ct);

    /// <summary>Completes an execution with its output; 409 when it already finished.</summary>
    [ApiRouteName("tools.complete")]
    public Task<ToolExecution> CompleteAsync(string taskId, string executionId, JsonElement? output = null, RequestOptions? options = null, CancellationToken ct = default) =>
        http.CallAsync<ToolExecution>(ApiRoutes.ToolsComplete, ApiRoutes.ToolsComplete.Path(taskId, executionId), new OutputBody(output), options, ct);

    /// <summary>Fails an execution; 409 when it already finished.</summary>
    [ApiRouteName("tools.fail")]
    public Task<ToolExecution> FailAsync(string taskId, string executionId, string error, RequestOptions? options = null, CancellationToken ct = default) =>
        http.CallAsync<ToolExecution>(ApiRoutes.ToolsFail, ApiRoutes.ToolsFail.Path(taskId, executionId), new ErrorBody(error), options, ct);

    /// <summary>Marks an execution as timed out; 409 when it already finished.</summary>
    [ApiRouteName("tools.timeout")]
    public Task<ToolExecution> TimeoutAsync(string taskId, string executionId, RequestOptions? options = null, CancellationToken ct = default) =>
        http.CallAsync<ToolExecution>(ApiRoutes.ToolsTimeout, ApiRoutes.ToolsTimeout.Path(taskId, executionId), null, options, ct);

    private sealed record OutputBody(JsonElement? Output);

    private sealed record ErrorBody(string Error);
}
