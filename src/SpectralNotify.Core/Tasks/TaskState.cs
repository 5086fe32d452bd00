namespace SpectralNotify.Tasks;

/// <summary>Where a task is in its lifecycle. Wire names are the reference server's.</summary>
public enum TaskState
{
    Pending,
    InProgress,
    Success,
    Failed,
    Canceled,
}

/// <summary>Conversions between <see cref="TaskState"/> and its wire name.</summary>
public static class TaskStateNames
{
    public static string ToWire(this TaskState status) => status switch
    {
        TaskState.Pending => "pending",
        TaskState.InProgress => "in-progress",
        TaskState.Success => "success",
        TaskState.Failed => "failed",
        TaskState.Canceled => "canceled",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static bool TryParse(string? wire, out TaskState status)
    {
        switch (wire)
        {
            case "pending": status = TaskState.Pending; return true;
            case "in-progress": status = TaskState.InProgress; return true;
            case "success": status = TaskState.Success; return true;
            case "failed": status = TaskState.Failed; return true;
            case "canceled": status = TaskState.Canceled; return true;
            default: status = default; return false;
        }
    }

    public static TaskState Parse(string wire) =>
        TryParse(wire, out var s) ? s : throw new FormatException($"Unknown task status '{wire}'.");

    public static bool IsTerminal(this TaskState status) =>
        status is TaskState.Success or TaskState.Failed or TaskState.Canceled;

    public const string AllowedList = "pending, in-progress, success, failed, canceled";
}
