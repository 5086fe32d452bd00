using System.Text.Json;
using SpectralNotify.Jobs;
using SpectralNotify.Tasks;
using SpectralNotify.Tools;

namespace SpectralNotify.Server.Jobs.Workers;

/// <summary>
/// What a handler knows about its run and how it reports: progress, events and tool executions go
/// to the run's task, so every watcher of <c>/ws/task/{RunId}</c> sees them live.
/// </summary>
/// <param name="started">
/// The recording of the run's start. The handler begins while it commits (a short run's start and
/// completion then share a transaction); each report waits for it, so none lands before the start.
/// </param>
public sealed class JobContext(JobRun run, TaskService tasks, Task? started = null)
{
    public string RunId => run.TaskId;
    public string? JobId => run.JobId;
    public string Type => run.Type;
    public int Attempt => run.Attempt;
    public JsonElement Payload { get; } = Parse(run.Payload);

    public async Task ProgressAsync(double progress, string? message = null, CancellationToken ct = default)
    {
        await Started;
        await tasks.MutateAsync(run.TaskId, new ProgressMutation(progress, message), ct);
    }

    public async Task EventAsync(string message, string type = TaskEventType.Log, double? progress = null, CancellationToken ct = default)
    {
        await Started;
        await tasks.MutateAsync(run.TaskId, new AddEventMutation(type, message, progress, null), ct);
    }

    /// <summary>Starts a tool execution on the run's task; finish it with <see cref="ToolFinishAsync"/>.</summary>
    public async Task<ToolExecution> ToolStartAsync(string toolName, string argumentsJson = "{}", CancellationToken ct = default)
    {
        await Started;
        return await tasks.ToolStartAsync(new ToolExecution
        {
            Id = Guid.CreateVersion7().ToString(), TaskId = run.TaskId, ToolName = toolName, Arguments = argumentsJson,
        }, ct);
    }

    public async Task<ToolExecution> ToolFinishAsync(string executionId, ToolFinish finish, CancellationToken ct = default)
    {
        await Started;
        return await tasks.ToolFinishAsync(run.TaskId, executionId, finish, ct);
    }

    private Task Started => started ?? Task.CompletedTask;

    private static JsonElement Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }
}
