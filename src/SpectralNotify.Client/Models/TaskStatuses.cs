namespace SpectralNotify.Client.Models;

/// <summary>The values of <see cref="SpectralTask.Status"/> (also a run's and a workflow's status).</summary>
public static class TaskStatuses
{
    /// <summary>Created, nothing reported yet.</summary>
    public const string Pending = "pending";

    /// <summary>Started: the first progress or event arrived.</summary>
    public const string InProgress = "in-progress";

    /// <summary>Completed (terminal).</summary>
    public const string Success = "success";

    /// <summary>Failed (terminal).</summary>
    public const string Failed = "failed";

    /// <summary>Canceled (terminal).</summary>
    public const string Canceled = "canceled";

    /// <summary>True for success, failed and canceled: the entity takes no further change.</summary>
    public static bool IsTerminal(string? status) => status is Success or Failed or Canceled;
}
