using System.Globalization;

namespace SpectralNotify.Tasks;

/// <summary>
/// The one place that decides what a mutation does to a task: the lifecycle
/// <c>pending → in-progress → success | failed | canceled</c>, the event it appends, and the
/// timestamps it sets. Stores call it inside their write transaction with the locked current row,
/// so the check and the write are atomic.
/// </summary>
/// <remarks>
/// Rules: the first event or progress moves a pending task to in-progress (and sets
/// <c>startedAt</c>); complete sets progress to 100; terminal states are final, so every further
/// mutation throws <see cref="TaskTerminalException"/>. Under <see cref="RuleSet.Reference"/> (the
/// compatible surface) a terminal task still takes changes as the reference server allows: events and
/// progress keep its status, and complete / fail / cancel switch it without clearing earlier timestamps.
/// </remarks>
public static class TaskLifecycle
{
    /// <summary>Returns the target status of a mutation from a given status, or null when it is refused.</summary>
    public static TaskState? Transition(TaskState from, TaskMutation mutation)
    {
        if (from.IsTerminal() && mutation.Rules == RuleSet.Strict)
        {
            return null;
        }
        return mutation switch
        {
            AddEventMutation or ProgressMutation or ToolEventMutation => from.IsTerminal() ? from : TaskState.InProgress,
            CompleteMutation => TaskState.Success,
            FailMutation => TaskState.Failed,
            CancelMutation => TaskState.Canceled,
            UpdateMutation => from,
            RunStartMutation => TaskState.InProgress,
            RunRetryMutation or RunUnclaimMutation => TaskState.Pending,
            _ => throw new ArgumentOutOfRangeException(nameof(mutation)),
        };
    }

    /// <summary>The first event of every task.</summary>
    public static (TaskItem Task, TaskEvent Event) Create(NewTask input, DateTimeOffset now)
    {
        now = Clock.Truncate(now);
        var task = new TaskItem
        {
            Id = input.Id,
            Title = input.Title,
            Description = input.Description,
            Type = input.Type,
            Status = input.Status,
            Progress = input.Progress,
            Metadata = input.Metadata,
            Config = input.Config,
            WorkspacePath = input.WorkspacePath,
            CreatedBy = input.CreatedBy,
            CreatedAt = now,
            UpdatedAt = now,
            StartedAt = input.Status == TaskState.InProgress ? now : null,
            ExpiresAt = input.ExpiresAt is { } e ? Clock.Truncate(e) : null,
            LastSeq = 1,
            Version = 1,
            WorkflowId = input.WorkflowId,
            Sequence = input.Sequence,
        };
        var ev = new TaskEvent
        {
            TaskId = input.Id,
            Seq = 1,
            Type = TaskEventType.Log,
            Kind = TaskChangeKind.Created,
            Message = "Task created",
            Metadata = input.Metadata,
            Timestamp = now,
        };
        return (task, ev);
    }

    /// <summary>Applies <paramref name="mutation"/> to <paramref name="current"/> at <paramref name="now"/>.</summary>
    /// <exception cref="TaskTerminalException">The task is already success, failed or canceled.</exception>
    /// <exception cref="TaskVersionMismatchException">IfVersion is set and differs.</exception>
    public static TaskChange Apply(TaskItem current, TaskMutation mutation, DateTimeOffset now)
    {
        if (mutation.IfVersion is { } expected && expected != current.Version)
        {
            throw new TaskVersionMismatchException(current.Id, expected, current.Version);
        }
        var target = Transition(current.Status, mutation)
            ?? throw new TaskTerminalException(current.Id, current.Status);

        now = Clock.Truncate(now);
        var seq = current.LastSeq + 1;
        var next = current with
        {
            Status = target,
            UpdatedAt = now,
            StartedAt = current.StartedAt ?? (target != TaskState.Pending ? now : null),
            LastSeq = seq,
            Version = current.Version + 1,
        };
        TaskEvent ev;
        switch (mutation)
        {
            case AddEventMutation m:
                next = next with { Progress = m.Progress ?? current.Progress };
                ev = NewEvent(current.Id, seq, m.Type, TaskChangeKind.Event, m.Message, m.Progress, m.Metadata, now);
                break;
            case ToolEventMutation m:
                ev = NewEvent(current.Id, seq, m.Type, TaskChangeKind.Tool, m.Message, null, m.Metadata, now);
                break;
            case ProgressMutation m:
                next = next with { Progress = m.Progress };
                ev = NewEvent(current.Id, seq, TaskEventType.Progress, TaskChangeKind.Progress,
                    m.Message ?? $"Progress updated to {FormatProgress(m.Progress)}%", m.Progress, null, now);
                break;
            case CompleteMutation m:
                next = next with { Progress = 100, CompletedAt = now };
                ev = NewEvent(current.Id, seq, TaskEventType.Success, TaskChangeKind.Complete,
                    "Task completed successfully", 100, m.Metadata, now);
                break;
            case FailMutation m:
                next = next with { Error = m.Error, FailedAt = now };
                ev = NewEvent(current.Id, seq, TaskEventType.Error, TaskChangeKind.Fail, m.Error, null, m.Metadata, now);
                break;
            case CancelMutation m:
                next = next with { CanceledAt = now };
                ev = NewEvent(current.Id, seq, TaskEventType.Error, TaskChangeKind.Cancel,
                    string.IsNullOrEmpty(m.Reason) ? "Task canceled" : $"Task canceled: {m.Reason}", null, m.Metadata, now);
                break;
            case RunStartMutation m:
                ev = NewEvent(current.Id, seq, TaskEventType.Log, TaskChangeKind.Event,
                    $"Attempt {m.Attempt} started by worker {m.WorkerId}", null, null, now);
                break;
            case RunUnclaimMutation m:
                ev = NewEvent(current.Id, seq, TaskEventType.Log, TaskChangeKind.Event,
                    $"Attempt {m.Attempt} never reached worker {m.WorkerId} ({m.Reason}); back in the queue, the attempt not counted", null, null, now);
                break;
            case RunRetryMutation m:
                ev = NewEvent(current.Id, seq, TaskEventType.Error, TaskChangeKind.Event,
                    $"Attempt {m.Attempt} failed: {m.Error}; retrying at {Clock.ToWire(m.RetryAt)}", null, null, now);
                break;
            case UpdateMutation m:
                next = next with
                {
                    Title = m.Title ?? current.Title,
                    Description = m.Description ?? current.Description,
                    Metadata = m.Metadata ?? current.Metadata,
                    Config = m.Config ?? current.Config,
                };
                ev = NewEvent(current.Id, seq, TaskEventType.Log, TaskChangeKind.Updated, "Task updated", null, m.Metadata, now);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(mutation));
        }
        return new TaskChange(next, ev);
    }

    /// <summary>Formats like JavaScript's number-to-string for the values progress takes (42.5, 16, 0.1).</summary>
    public static string FormatProgress(double progress) =>
        progress.ToString("R", CultureInfo.InvariantCulture);

    private static TaskEvent NewEvent(string taskId, long seq, string type, string kind, string message,
        double? progress, string? metadata, DateTimeOffset now) => new()
        {
            TaskId = taskId,
            Seq = seq,
            Type = type,
            Kind = kind,
            Message = message,
            Progress = progress,
            Metadata = metadata,
            Timestamp = now,
        };
}
