using SpectralNotify.Tasks;
using SpectralNotify.Tools;

namespace SpectralNotify.Storage;

/// <summary>Tool executions of a task (each start and finish is also an event of the task). Part of <see cref="IStore"/>.</summary>
public interface IToolStore
{
    /// <summary>Finishes a running execution and appends its event to the task, in one transaction.</summary>
    /// <exception cref="ToolNotFoundException"/>
    /// <exception cref="ToolNotRunningException"/>
    /// <exception cref="TaskTerminalException"/>
    Task<(ToolExecution Execution, TaskChange Change)> ToolFinishAsync(string taskId, string executionId, ToolFinish finish, CancellationToken ct);

    /// <summary>A task's executions, oldest first.</summary>
    Task<IReadOnlyList<ToolExecution>> ToolListAsync(string taskId, CancellationToken ct);

    /// <summary>Records a started execution (its StartedAt is set from the store's clock) and appends its event, in one transaction.</summary>
    /// <exception cref="TaskNotFoundException"/>
    /// <exception cref="TaskTerminalException"/>
    Task<(ToolExecution Execution, TaskChange Change)> ToolStartAsync(ToolExecution execution, CancellationToken ct);
}
