namespace SpectralNotify.Tasks;

/// <summary>The four event types of the reference protocol; stored and sent by wire name.</summary>
public static class TaskEventType
{
    public const string Log = "log";
    public const string Progress = "progress";
    public const string Error = "error";
    public const string Success = "success";

    public static bool IsValid(string? type) => type is Log or Progress or Error or Success;

    public const string AllowedList = "log, progress, error, success";
}
