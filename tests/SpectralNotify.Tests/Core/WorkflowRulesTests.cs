using SpectralNotify.Tasks;
using SpectralNotify.Workflows;

namespace SpectralNotify.Tests.Core;

/// <summary>Workflow lifecycle: the reference's worked example (§8), plus rollup and terminal states.</summary>
public sealed class WorkflowRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Reference_worked_example_with_our_status_rules()
    {
        var c = WorkflowRules.Create("wf-1", [new("download", "Download", 0.4), new("transcription", "Transcription", 0.6)], "{}", "me", T0);
        Assert.Equal((0, "download", 2, 0, TaskState.Pending, 1L), (c.Workflow.OverallProgress, c.Workflow.ActivePhaseKey,
            c.Workflow.ExpectedPhaseCount, c.Workflow.CompletedPhaseCount, c.Workflow.Status, c.Event.Seq));
        Assert.Equal(("log", "Workflow created"), (c.Event.Type, c.Event.Message));

        c = WorkflowRules.UpdatePhase(c.Workflow, c.Phases, "download", 42, null, T0.AddSeconds(1));
        Assert.Equal((16, TaskState.InProgress, TaskState.InProgress), (c.Workflow.OverallProgress, c.Workflow.Status, c.Phases[0].Status));
        Assert.Equal(("phase-progress", "download", "Download progress: 42%", 2L), (c.Event.Type, c.Event.PhaseKey, c.Event.Message, c.Event.Seq));
        Assert.Equal(T0.AddSeconds(1), c.Phases[0].StartedAt);

        c = WorkflowRules.UpdatePhase(c.Workflow, c.Phases, "download", 100, null, T0.AddSeconds(2));
        Assert.Equal((40, 1, "transcription"), (c.Workflow.OverallProgress, c.Workflow.CompletedPhaseCount, c.Workflow.ActivePhaseKey));
        Assert.Equal((TaskState.Success, T0.AddSeconds(2)), (c.Phases[0].Status, c.Phases[0].CompletedAt!.Value));

        c = WorkflowRules.UpdatePhase(c.Workflow, c.Phases, "transcription", 100, null, T0.AddSeconds(3));
        Assert.Equal((100, 2, null, true, TaskState.InProgress), (c.Workflow.OverallProgress, c.Workflow.CompletedPhaseCount,
            c.Workflow.ActivePhaseKey, c.Workflow.AllPhasesDone, c.Workflow.Status));

        c = WorkflowRules.Finish(c.Workflow, c.Phases, TaskState.Success, null, null, T0.AddSeconds(4));
        Assert.Equal((TaskState.Success, 100, T0.AddSeconds(4), "success", 5L), (c.Workflow.Status, c.Workflow.OverallProgress,
            c.Workflow.CompletedAt!.Value, c.Event.Type, c.Event.Seq));
        var done = c;
        Assert.Throws<WorkflowTerminalException>(() => WorkflowRules.UpdatePhase(done.Workflow, done.Phases, "download", 5, null, T0));
        Assert.Throws<WorkflowTerminalException>(() => WorkflowRules.Finish(done.Workflow, done.Phases, TaskState.Failed, "x", null, T0));
    }

    [Fact]
    public void Parent_phases_roll_up_progress_and_status_from_their_children()
    {
        var c = WorkflowRules.Create("wf", [new("p", "Parent", 1.0), new("c1", "One", 0.6, "p"), new("c2", "Two", 0.4, "p")], "{}", null, T0);
        Assert.Equal([0, 1, 1], c.Phases.Select(p => p.Depth));
        c = WorkflowRules.UpdatePhase(c.Workflow, c.Phases, "c1", 100, null, T0.AddSeconds(1));
        Assert.Equal((60.0, TaskState.InProgress), (c.Phases[0].Progress, c.Phases[0].Status));
        Assert.Equal((60, "p", 1), (c.Workflow.OverallProgress, c.Workflow.ActivePhaseKey, c.Workflow.CompletedPhaseCount));
        c = WorkflowRules.UpdatePhase(c.Workflow, c.Phases, "c2", 100, null, T0.AddSeconds(2));
        Assert.Equal((100.0, TaskState.Success), (c.Phases[0].Progress, c.Phases[0].Status));
        Assert.Equal((100, 3, true, null), (c.Workflow.OverallProgress, c.Workflow.CompletedPhaseCount, c.Workflow.AllPhasesDone, c.Workflow.ActivePhaseKey));

        var state = c;
        Assert.Throws<ParentPhaseException>(() => WorkflowRules.UpdatePhase(state.Workflow, state.Phases, "p", 50, null, T0));
        Assert.Throws<PhaseNotFoundException>(() => WorkflowRules.UpdatePhase(state.Workflow, state.Phases, "nope", 50, null, T0));
    }

    [Fact]
    public void Fail_and_cancel_keep_phases_and_record_why()
    {
        var c = WorkflowRules.Create("wf", [new("a", "A", 1.0)], "{}", null, T0);
        var failed = WorkflowRules.Finish(c.Workflow, c.Phases, TaskState.Failed, "GPU lost", null, T0.AddSeconds(1));
        Assert.Equal((TaskState.Failed, "error", "GPU lost", T0.AddSeconds(1)), (failed.Workflow.Status, failed.Event.Type, failed.Event.Message, failed.Workflow.FailedAt!.Value));
        var canceled = WorkflowRules.Finish(c.Workflow, c.Phases, TaskState.Canceled, null, null, T0.AddSeconds(1));
        Assert.Equal(("cancel", "Workflow canceled"), (canceled.Event.Type, canceled.Event.Message));
        Assert.Same(c.Phases, canceled.Phases);
    }
}
