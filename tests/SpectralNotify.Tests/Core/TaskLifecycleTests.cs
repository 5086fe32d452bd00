using SpectralNotify.Tasks;

namespace SpectralNotify.Tests.Core;

/// <summary>The task state machine, as a table: every status × every mutation.</summary>
public sealed class TaskLifecycleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);

    public static TheoryData<TaskState, string, TaskState?> Table()
    {
        var data = new TheoryData<TaskState, string, TaskState?>
        {
            { TaskState.Pending, "event", TaskState.InProgress },
            { TaskState.Pending, "progress", TaskState.InProgress },
            { TaskState.Pending, "complete", TaskState.Success },
            { TaskState.Pending, "fail", TaskState.Failed },
            { TaskState.Pending, "cancel", TaskState.Canceled },
            { TaskState.Pending, "update", TaskState.Pending },
            { TaskState.InProgress, "event", TaskState.InProgress },
            { TaskState.InProgress, "progress", TaskState.InProgress },
            { TaskState.InProgress, "complete", TaskState.Success },
            { TaskState.InProgress, "fail", TaskState.Failed },
            { TaskState.InProgress, "cancel", TaskState.Canceled },
            { TaskState.InProgress, "update", TaskState.InProgress },
        };
        foreach (var terminal in new[] { TaskState.Success, TaskState.Failed, TaskState.Canceled })
        {
            foreach (var m in new[] { "event", "progress", "complete", "fail", "cancel", "update" })
            {
                data.Add(terminal, m, null);
            }
        }
        return data;
    }

    private static TaskMutation Mutation(string name) => name switch
    {
        "event" => new AddEventMutation(TaskEventType.Log, "hello", null, null),
        "progress" => new ProgressMutation(42.5, null),
        "complete" => new CompleteMutation(null),
        "fail" => new FailMutation("boom", null),
        "cancel" => new CancelMutation(null, null),
        "update" => new UpdateMutation("t", null, null, null),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static TaskItem Task(TaskState state) => new()
    {
        Id = "t1", Status = state, CreatedAt = T0, UpdatedAt = T0, LastSeq = 4, Version = 4,
        StartedAt = state == TaskState.Pending ? null : T0,
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Transition_follows_the_table(TaskState from, string mutation, TaskState? expected)
    {
        Assert.Equal(expected, TaskLifecycle.Transition(from, Mutation(mutation)));
        if (expected is null)
        {
            var ex = Assert.Throws<TaskTerminalException>(() => TaskLifecycle.Apply(Task(from), Mutation(mutation), T0));
            Assert.Equal(from, ex.Status);
            Assert.Contains(from.ToWire(), ex.Message, StringComparison.Ordinal);
        }
        else
        {
            var change = TaskLifecycle.Apply(Task(from), Mutation(mutation), T0.AddSeconds(1));
            Assert.Equal(expected, change.Task.Status);
            Assert.Equal(5, change.Task.LastSeq);
            Assert.Equal(5, change.Event.Seq);
            Assert.Equal(5, change.Task.Version);
        }
    }

    [Fact]
    public void Create_writes_event_one()
    {
        var (task, ev) = TaskLifecycle.Create(new NewTask { Id = "a", Metadata = """{"k":1}""" }, T0);
        Assert.Equal(1, task.LastSeq);
        Assert.Equal(1, task.Version);
        Assert.Equal(TaskState.Pending, task.Status);
        Assert.Equal((1L, "log", "Task created", TaskChangeKind.Created), (ev.Seq, ev.Type, ev.Message, ev.Kind));
        Assert.Null(task.StartedAt);
    }

    [Fact]
    public void First_progress_starts_the_task_and_later_ones_keep_startedAt()
    {
        var t1 = TaskLifecycle.Apply(Task(TaskState.Pending), new ProgressMutation(10, null), T0.AddSeconds(1)).Task;
        Assert.Equal(T0.AddSeconds(1), t1.StartedAt);
        var t2 = TaskLifecycle.Apply(t1, new ProgressMutation(20, null), T0.AddSeconds(2)).Task;
        Assert.Equal(T0.AddSeconds(1), t2.StartedAt);
        Assert.Equal(20, t2.Progress);
    }

    [Fact]
    public void Complete_sets_progress_100_and_completedAt()
    {
        var c = TaskLifecycle.Apply(Task(TaskState.InProgress) with { Progress = 30 }, new CompleteMutation("""{"r":1}"""), T0);
        Assert.Equal(100, c.Task.Progress);
        Assert.Equal(T0, c.Task.CompletedAt);
        Assert.Equal(("success", "Task completed successfully", 100.0), (c.Event.Type, c.Event.Message, c.Event.Progress!.Value));
        Assert.Equal("""{"r":1}""", c.Event.Metadata);
    }

    [Fact]
    public void Fail_and_cancel_keep_progress_and_record_why()
    {
        var f = TaskLifecycle.Apply(Task(TaskState.InProgress) with { Progress = 30 }, new FailMutation("disk full", null), T0);
        Assert.Equal((30.0, "disk full", T0), (f.Task.Progress, f.Task.Error!, f.Task.FailedAt!.Value));
        Assert.Equal(("error", "disk full"), (f.Event.Type, f.Event.Message));
        var c = TaskLifecycle.Apply(Task(TaskState.InProgress), new CancelMutation("user asked", null), T0);
        Assert.Equal(T0, c.Task.CanceledAt);
        Assert.Equal("Task canceled: user asked", c.Event.Message);
    }

    [Theory]
    [InlineData(42.5, "Progress updated to 42.5%")]
    [InlineData(16.0, "Progress updated to 16%")]
    [InlineData(0.1, "Progress updated to 0.1%")]
    public void Progress_message_formats_like_javascript(double p, string expected) =>
        Assert.Equal(expected, TaskLifecycle.Apply(Task(TaskState.InProgress), new ProgressMutation(p, null), T0).Event.Message);

    [Fact]
    public void If_version_mismatch_is_refused()
    {
        var ex = Assert.Throws<TaskVersionMismatchException>(() =>
            TaskLifecycle.Apply(Task(TaskState.InProgress), new UpdateMutation("x", null, null, null) { IfVersion = 3 }, T0));
        Assert.Equal(4, ex.Actual);
    }

    [Fact]
    public void Timestamps_are_truncated_to_milliseconds()
    {
        var c = TaskLifecycle.Apply(Task(TaskState.InProgress), new ProgressMutation(1, null), T0.AddTicks(1234));
        Assert.Equal(T0, c.Task.UpdatedAt);
    }
}
