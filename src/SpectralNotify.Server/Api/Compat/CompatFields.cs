using SpectralNotify.Tasks;

namespace SpectralNotify.Server.Api.Compat;

/// <summary>Field rules shared by the reference's task and workflow schemas.</summary>
public static class CompatFields
{
    public static readonly string[] Statuses = ["pending", "in-progress", "success", "failed", "canceled"];
    public static readonly string[] EventTypes = [TaskEventType.Log, TaskEventType.Progress, TaskEventType.Error, TaskEventType.Success];

    /// <summary>Our cap on messages and error strings (the reference has none).</summary>
    public const int MaxMessageLength = V1.Limits.MaxMessageBytes;

    /// <summary>
    /// An entity id: at least 1 character; at most 100 where the reference says so (with its
    /// messages, e.g. <c>Task ID must be less than 100 characters</c>), otherwise at most our 200.
    /// <c>.</c> and <c>..</c> are refused because they cannot appear in a URL path segment.
    /// </summary>
    public static string? Id(Fields f, string name, string? noun = null)
    {
        var id = noun is null
            ? f.String(name, min: 1, max: V1.Limits.MaxIdLength)
            : f.String(name, min: 1, max: 100, minMessage: $"{noun} ID is required", maxMessage: $"{noun} ID must be less than 100 characters");
        if (id is "." or "..")
        {
            f.Input.Add(ZodIssue.Custom(f.PathOf(name), "Invalid input: '.' and '..' are not usable ids"));
            return null;
        }
        return id;
    }

    public static TaskState? Status(Fields f, string name = "status") =>
        f.Enum(name, Statuses) is { } s ? TaskStateNames.Parse(s) : null;

    /// <summary><c>limit</c>: an integer 1..100, 50 when absent.</summary>
    public static int Limit(Fields f) => (int)(f.Integer("limit", min: 1, max: 100, fallback: 50) ?? 50);
}
