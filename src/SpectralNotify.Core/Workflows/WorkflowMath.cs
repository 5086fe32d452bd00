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
    public static int Overall(IReadOnlyList<WorkflowPhase> phases)
    {
        if (phases.Count == 0)
        {
            return 0;
        }
        var children = ChildrenByParent(phases);
        var sum = 0.0;
        foreach (var p in phases.Where(p => string.IsNullOrEmpty(p.ParentPhaseKey)).OrderBy(p => p.Order))
        {
            sum += ProgressOf(p, children, 0) * p.Weight;
        }
        return (int)Math.Floor(sum);
    }

    /// <summary>The phase's effective progress: its own for a leaf, its children's weighted sum otherwise.</summary>
    public static double ProgressOf(WorkflowPhase phase, IReadOnlyList<WorkflowPhase> phases) =>
        ProgressOf(phase, ChildrenByParent(phases), 0);

    internal static ILookup<string, WorkflowPhase> ChildrenByParent(IReadOnlyList<WorkflowPhase> phases) =>
        phases.Where(p => !string.IsNullOrEmpty(p.ParentPhaseKey)).OrderBy(p => p.Order).ToLookup(p => p.ParentPhaseKey!, StringComparer.Ordinal);

    private static double ProgressOf(WorkflowPhase phase, ILookup<string, WorkflowPhase> children, int depth)
    {
        // Validation rejects cycles; the bound only keeps a corrupt row set from recursing forever.
        if (!children.Contains(phase.Key) || depth > 64)
        {
            return phase.Progress;
        }
        var sum = 0.0;
        foreach (var child in children[phase.Key])
        {
            sum += ProgressOf(child, children, depth + 1) * child.Weight;
        }
        return sum;
    }
}
