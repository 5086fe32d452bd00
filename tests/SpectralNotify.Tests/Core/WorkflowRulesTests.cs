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

    [Fact]
    public void A_500_phase_chain_validates_and_rolls_up_end_to_end()
    {
        var inputs = Enumerable.Range(0, 500).Select(i => new PhaseInput($"c{i}", $"C{i}", 1, i == 0 ? null : $"c{i - 1}")).ToList();
        Assert.Empty(PhaseValidation.Validate(inputs));
        var c = WorkflowRules.Create("wf", inputs, "{}", null, T0);
        Assert.Equal(Enumerable.Range(0, 500), c.Phases.Select(p => p.Depth));
        Assert.Equal(500, c.ChangedPhases.Count);

        c = WorkflowRules.UpdatePhase(c.Workflow, c.Phases, "c499", 40, null, T0.AddSeconds(1));
        Assert.Equal((40, "c0"), (c.Workflow.OverallProgress, c.Workflow.ActivePhaseKey));
        Assert.All(c.Phases, p => Assert.Equal((40.0, TaskState.InProgress), (p.Progress, p.Status)));
        Assert.Equal(500, c.ChangedPhases.Count); // the leaf and all 499 ancestors moved

        Assert.Contains("'c9' has 9 ancestors", WorkflowLimits.Check(PhaseValidation.Links(inputs)), StringComparison.Ordinal);
        Assert.Null(WorkflowLimits.Check(PhaseValidation.Links(inputs.Take(9).ToList())));
        var cycle = inputs.Select(p => p.Key == "c0" ? p with { ParentPhaseKey = "c499" } : p).ToList();
        Assert.Contains(PhaseValidation.Validate(cycle), e => e.Rule.Contains("cycle through 'c0'", StringComparison.Ordinal));
    }

    [Fact]
    public void A_wide_tree_at_the_phase_cap_rolls_up_only_what_moved()
    {
        // 100 parents of 4 children each: 500 phases.
        var inputs = Enumerable.Range(0, 100).SelectMany(p => new[] { new PhaseInput($"p{p}", $"P{p}", 0.01) }
            .Concat(Enumerable.Range(0, 4).Select(k => new PhaseInput($"p{p}.{k}", $"P{p}.{k}", 0.25, $"p{p}")))).ToList();
        Assert.Equal(500, inputs.Count);
        Assert.Empty(PhaseValidation.Validate(inputs));
        Assert.Null(WorkflowLimits.Check(PhaseValidation.Links(inputs)));
        Assert.Contains("at most 500", WorkflowLimits.Check(PhaseValidation.Links([.. inputs, new("extra", "X", 0)])), StringComparison.Ordinal);
        var c = WorkflowRules.Create("wf", inputs, "{}", null, T0);
        for (var k = 0; k < 4; k++)
        {
            c = WorkflowRules.UpdatePhase(c.Workflow, c.Phases, $"p7.{k}", 100, null, T0.AddSeconds(1));
            Assert.Equal(["p7." + k, "p7"], c.ChangedPhases.Select(p => p.Key));
        }
        var parent = c.Phases.Single(p => p.Key == "p7");
        Assert.Equal((100.0, TaskState.Success), (parent.Progress, parent.Status));
        Assert.Equal((1, 5, "p0"), (c.Workflow.OverallProgress, c.Workflow.CompletedPhaseCount, c.Workflow.ActivePhaseKey));

        // The same progress again: the leaf is touched, its parent did not move and is not rewritten.
        c = WorkflowRules.UpdatePhase(c.Workflow, c.Phases, "p7.0", 100, null, T0.AddSeconds(2));
        Assert.Equal(["p7.0"], c.ChangedPhases.Select(p => p.Key));
        Assert.Equal(T0.AddSeconds(1), c.Phases.Single(p => p.Key == "p7").UpdatedAt);
    }
}
