using System.Globalization;

namespace SpectralNotify.Workflows;

/// <summary>
/// How big a workflow may be, for both API surfaces: at most <see cref="MaxPhases"/> phases, and no
/// phase more than <see cref="MaxDepth"/> parent links below the top level. Checked before any other
/// validation, because every later step (field checks, validation, roll-up on each update, the live
/// messages that carry every phase) costs in proportion to the phase count (audit findings 7 and 8).
/// </summary>
public static class WorkflowLimits
{
    /// <summary>The most phases one workflow may declare (parents and children together).</summary>
    public const int MaxPhases = 500;

    /// <summary>The most ancestors a phase may have: a top-level phase has depth 0, its children 1, and so on.</summary>
    public const int MaxDepth = 8;

    /// <summary>The request field both caps are reported on.</summary>
    public const string Field = "phases";

    /// <summary>The count rule alone, for callers that can count the phases before reading them; null within the cap.</summary>
    public static string? CheckCount(int count) => count > MaxPhases
        ? string.Create(CultureInfo.InvariantCulture, $"must hold at most {MaxPhases} phases; there are {count}")
        : null;

    /// <summary>
    /// Both caps, in linear time; null within them. Links whose keys are missing, repeated or cyclic
    /// are left to <see cref="PhaseValidation"/>, which refuses them anyway; for any list it accepts,
    /// the depths computed here are exact.
    /// </summary>
    public static string? Check(IReadOnlyList<PhaseLink> links)
    {
        if (CheckCount(links.Count) is { } tooMany)
        {
            return tooMany;
        }
        var depths = PhaseDepths.Compute(links);
        for (var i = 0; i < depths.Length; i++)
        {
            if (depths[i] > MaxDepth)
            {
                return string.Create(CultureInfo.InvariantCulture,
                    $"may nest at most {MaxDepth} levels below a top-level phase; phase '{links[i].Key}' has {depths[i]} ancestors");
            }
        }
        return null;
    }
}
