namespace SpectralNotify.Workflows;

/// <summary>
/// Progress math of protocol §8. A phase with children is worth the weighted sum of its children
/// (its own stored progress is ignored); a leaf is worth its progress. The overall progress is the
/// <b>floor</b> of the weighted sum over top-level phases. Children whose parent key names no phase
/// are ignored. Sums run over children in <see cref="WorkflowPhase.Order"/>, the reference's order,
/// so the floating-point results (and therefore the floors) match it exactly.
/// </summary>
public static class WorkflowMath
{
    public static int Overall(IReadOnlyList<WorkflowPhase> phases) => new PhaseTree(phases).Overall();
}
