namespace SpectralNotify.Tasks;

/// <summary>
/// Which operation produced an event. Stored with the event so a replay from storage produces the
/// same live message type (<c>event</c>, <c>progress</c>, <c>complete</c>, …) as the original broadcast.
/// </summary>
public static class TaskChangeKind
{
    public const string Created = "created";
    public const string Event = "event";
    public const string Progress = "progress";
    public const string Complete = "complete";
    public const string Fail = "fail";
    public const string Cancel = "cancel";
    public const string Updated = "updated";
    public const string Tool = "tool";
}
