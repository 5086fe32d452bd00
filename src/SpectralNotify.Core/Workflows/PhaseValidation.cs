namespace SpectralNotify.Workflows;

/// <summary>One phase as a client declares it when creating a workflow; a phase may start with a status and progress.</summary>
public sealed record PhaseInput(string? Key, string? Label, double? Weight, string? ParentPhaseKey = null,
    Tasks.TaskState? Status = null, double? Progress = null);

/// <summary>
/// Checks a workflow's phase list as protocol §3.2 does — at least one phase, unique keys, every
/// parent key present, top-level weights and each parent's children's weights summing to 1
/// (± 0.001) — and, beyond the reference, names the rule and the phase that broke it, checks each
/// weight is within 0..1, and rejects parent cycles. Every check is linear in the number of phases.
/// </summary>
public static class PhaseValidation
{
    public const double Tolerance = 0.001;

    /// <summary>Returns (field, rule) pairs; empty when the list is valid.</summary>
    public static IReadOnlyList<(string Field, string Rule)> Validate(IReadOnlyList<PhaseInput>? phases)
    {
        var errors = new List<(string, string)>();
        if (phases is null || phases.Count == 0)
        {
            errors.Add(("phases", "at least one phase is required"));
            return errors;
        }
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < phases.Count; i++)
        {
            var p = phases[i];
            if (string.IsNullOrEmpty(p.Key))
            {
                errors.Add(($"phases[{i}].key", "is required"));
            }
            else if (!keys.Add(p.Key))
            {
                errors.Add(($"phases[{i}].key", $"'{p.Key}' is used twice; phase keys must be unique"));
            }
            if (string.IsNullOrEmpty(p.Label))
            {
                errors.Add(($"phases[{i}].label", "is required"));
            }
            if (p.Weight is not { } w || !double.IsFinite(w) || w < 0 || w > 1)
            {
                errors.Add(($"phases[{i}].weight", "must be a number from 0 to 1"));
            }
        }
        for (var i = 0; i < phases.Count; i++)
        {
            if (!string.IsNullOrEmpty(phases[i].ParentPhaseKey) && !keys.Contains(phases[i].ParentPhaseKey!))
            {
                errors.Add(($"phases[{i}].parentPhaseKey", $"names no phase ('{phases[i].ParentPhaseKey}')"));
            }
        }
        if (errors.Count > 0)
        {
            return errors;
        }
        CheckWeights(phases.Where(p => string.IsNullOrEmpty(p.ParentPhaseKey)), "top-level phases", errors);
        foreach (var group in phases.Where(p => !string.IsNullOrEmpty(p.ParentPhaseKey)).GroupBy(p => p.ParentPhaseKey!, StringComparer.Ordinal))
        {
            CheckWeights(group, $"children of '{group.Key}'", errors);
        }
        var depths = PhaseDepths.Compute(Links(phases));
        var cyclic = Array.IndexOf(depths, PhaseDepths.Cycle);
        if (cyclic >= 0)
        {
            // The first phase whose parent chain runs into a cycle, as a walk up from each phase in order would find it.
            errors.Add(("phases", $"parentPhaseKey links form a cycle through '{phases[cyclic].Key}'"));
        }
        return errors;
    }

    /// <summary>Each phase's key and parent key, for <see cref="PhaseDepths"/> and <see cref="WorkflowLimits"/>.</summary>
    public static IReadOnlyList<PhaseLink> Links(IReadOnlyList<PhaseInput> phases) =>
        phases.Select(p => new PhaseLink(p.Key, p.ParentPhaseKey)).ToList();

    private static void CheckWeights(IEnumerable<PhaseInput> siblings, string what, List<(string, string)> errors)
    {
        var sum = siblings.Sum(p => p.Weight!.Value);
        if (Math.Abs(sum - 1) >= Tolerance)
        {
            errors.Add(("phases", $"weights of the {what} must sum to 1 (±{Tolerance}); they sum to {sum.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture)}"));
        }
    }
}
