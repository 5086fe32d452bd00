using System.Text.Json;
using SpectralNotify.Handlers;
using SpectralNotify.Jobs;
using SpectralNotify.Tasks;
using SpectralNotify.Tools;

namespace SpectralNotify.Server.Jobs.Workers;

/// <summary>
/// The in-process <see cref="IJobContext"/>: progress, events and tool executions go straight to
/// the run's task through <see cref="TaskService"/>, so every watcher of the task sees them live.
/// </summary>
/// <param name="started">
/// The recording of the run's start. The handler begins while it commits (a short run's start and
/// completion then share a transaction); each report waits for it, so none lands before the start.
/// </param>
internal sealed class JobContext(JobRun run, TaskService tasks, Task? started = null) : IJobContext
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

    public async Task<string> ToolStartAsync(string toolName, JsonElement? arguments = null, CancellationToken ct = default)
    {
        await Started;
        var execution = await tasks.ToolStartAsync(new ToolExecution
        {
            Id = Guid.CreateVersion7().ToString(), TaskId = run.TaskId, ToolName = toolName, Arguments = arguments?.GetRawText() ?? "{}",
        }, ct);
        return execution.Id;
    }

    public Task ToolCompleteAsync(string executionId, JsonElement? result = null, CancellationToken ct = default) =>
        FinishAsync(executionId, new ToolFinish(ToolStatus.Success, result?.GetRawText(), null), ct);

    public Task ToolFailAsync(string executionId, string error, CancellationToken ct = default) =>
        FinishAsync(executionId, new ToolFinish(ToolStatus.Failed, null, error), ct);

    private async Task FinishAsync(string executionId, ToolFinish finish, CancellationToken ct)
    {
        await Started;
        await tasks.ToolFinishAsync(run.TaskId, executionId, finish, ct);
    }

    private Task Started => started ?? Task.CompletedTask;

    private static JsonElement Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }
}
