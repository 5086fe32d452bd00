using System.Text.Json;
using SpectralNotify.Jobs;
using SpectralNotify.Tasks;
using SpectralNotify.Tools;

namespace SpectralNotify.Server.Jobs.Workers;

/// <summary>
/// What a handler knows about its run and how it reports: progress, events and tool executions go
/// to the run's task, so every watcher of <c>/ws/task/{RunId}</c> sees them live.
/// </summary>
public sealed class JobContext(JobRun run, TaskService tasks)
{
    public string RunId => run.TaskId;
    public string? JobId => run.JobId;
    public string Type => run.Type;
    public int Attempt => run.Attempt;
    public JsonElement Payload { get; } = Parse(run.Payload);

    public Task ProgressAsync(double progress, string? message = null, CancellationToken ct = default) =>
        tasks.MutateAsync(run.TaskId, new ProgressMutation(progress, message), ct);

    public Task EventAsync(string message, string type = TaskEventType.Log, double? progress = null, CancellationToken ct = default) =>
        tasks.MutateAsync(run.TaskId, new AddEventMutation(type, message, progress, null), ct);

    /// <summary>Starts a tool execution on the run's task; finish it with <see cref="ToolFinishAsync"/>.</summary>
    public Task<ToolExecution> ToolStartAsync(string toolName, string argumentsJson = "{}", CancellationToken ct = default) =>
        tasks.ToolStartAsync(new ToolExecution
        {
            Id = Guid.CreateVersion7().ToString(), TaskId = run.TaskId, ToolName = toolName, Arguments = argumentsJson,
        }, ct);

    public Task<ToolExecution> ToolFinishAsync(string executionId, ToolFinish finish, CancellationToken ct = default) =>
        tasks.ToolFinishAsync(run.TaskId, executionId, finish, ct);

    private static JsonElement Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }
}
