namespace SpectralNotify.Tasks;

/// <summary>A change to an existing task. One subtype per operation; <see cref="TaskLifecycle"/> applies them.</summary>
public abstract record TaskMutation
{
    /// <summary>When set, the mutation applies only if the task's version equals it (HTTP If-Match).</summary>
    public long? IfVersion { get; init; }

    /// <summary>Strict for our API; Reference on the compatible surface (see <see cref="RuleSet"/>).</summary>
    public RuleSet Rules { get; init; } = RuleSet.Strict;
}

public sealed record AddEventMutation(string Type, string Message, double? Progress, string? Metadata) : TaskMutation;

public sealed record ProgressMutation(double Progress, string? Message) : TaskMutation;

public sealed record CompleteMutation(string? Metadata) : TaskMutation;

public sealed record FailMutation(string Error, string? Metadata) : TaskMutation;

public sealed record CancelMutation(string? Reason, string? Metadata) : TaskMutation;

/// <summary>PATCH: only non-null fields change.</summary>
public sealed record UpdateMutation(string? Title, string? Description, string? Metadata, string? Config) : TaskMutation;

/// <summary>A tool execution started or finished: an event of kind <c>tool</c> (see <c>ToolLifecycle</c>).</summary>
public sealed record ToolEventMutation(string Type, string Message, string Metadata) : TaskMutation;

/// <summary>A worker started attempt <see cref="Attempt"/> of a job run (pending → in-progress).</summary>
public sealed record RunStartMutation(int Attempt, string WorkerId) : TaskMutation;

/// <summary>
/// Attempt <see cref="Attempt"/> was leased to <see cref="WorkerId"/> but never reached it (<see cref="Reason"/>):
/// the run is back in the queue and the attempt does not count (in-progress → pending).
/// </summary>
public sealed record RunUnclaimMutation(int Attempt, string WorkerId, string Reason) : TaskMutation;

/// <summary>Attempt <see cref="Attempt"/> of a job run failed and will be retried at <see cref="RetryAt"/> (in-progress → pending).</summary>
public sealed record RunRetryMutation(int Attempt, string Error, DateTimeOffset RetryAt) : TaskMutation;
