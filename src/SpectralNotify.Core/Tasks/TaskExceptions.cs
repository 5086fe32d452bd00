namespace SpectralNotify.Tasks;

/// <summary>Base of the domain outcomes the API maps to 4xx answers (and 503 for <c>StoreUnavailableException</c>).</summary>
public abstract class SpectralException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>No task with this id (404).</summary>
public sealed class TaskNotFoundException(string taskId)
    : SpectralException($"Task '{taskId}' does not exist.")
{
    public string TaskId { get; } = taskId;
}

/// <summary>A task with this id already exists (409).</summary>
public sealed class TaskAlreadyExistsException(string taskId)
    : SpectralException($"Task '{taskId}' already exists.")
{
    public string TaskId { get; } = taskId;
}

/// <summary>The task is in a terminal state and takes no further mutations (409).</summary>
public sealed class TaskTerminalException(string taskId, TaskState status)
    : SpectralException($"Task '{taskId}' is {status.ToWire()}; a {status.ToWire()} task cannot change.")
{
    public string TaskId { get; } = taskId;
    public TaskState Status { get; } = status;
}

/// <summary>If-Match named a version that is no longer current (412).</summary>
public sealed class TaskVersionMismatchException(string taskId, long expected, long actual)
    : SpectralException($"Task '{taskId}' is at version {actual}, not {expected}.")
{
    public string TaskId { get; } = taskId;
    public long Actual { get; } = actual;
}

/// <summary>One operation of a batch failed; the whole batch was rolled back.</summary>
public sealed class BatchOperationException(int index, SpectralException inner)
    : SpectralException($"operations[{index}]: {inner.Message}")
{
    public int Index { get; } = index;
    public SpectralException Inner { get; } = inner;
}
