using SpectralNotify.Tasks;

namespace SpectralNotify.Workflows;

/// <summary>A new workflow from validated phases; <see cref="Metadata"/> is JSON object text.</summary>
public sealed record WorkflowCreateParams(string Id, IReadOnlyList<PhaseInput> Phases, string Metadata = "{}", string? CreatedBy = null,
    TaskState Status = TaskState.Pending);

/// <summary>A leaf phase's new progress (see <see cref="WorkflowRules.UpdatePhase"/>).</summary>
public sealed record WorkflowPhaseUpdateParams(string Id, string PhaseKey, double Progress, string? Metadata = null,
    RuleSet Rules = RuleSet.Strict);

/// <summary>A complete, fail or cancel (see <see cref="WorkflowRules.Finish"/>).</summary>
public sealed record WorkflowFinishParams(string Id, TaskState Outcome, string? Error = null, string? Metadata = null,
    RuleSet Rules = RuleSet.Strict);
