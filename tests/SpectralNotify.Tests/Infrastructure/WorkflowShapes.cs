using System.Globalization;

namespace SpectralNotify.Tests.Infrastructure;

/// <summary>
/// <c>phases</c> arrays at and past the workflow caps (500 phases, 8 parent links), as request JSON.
/// <paramref name="extra"/> is appended to every phase object (the compatible surface requires
/// <c>status</c> and <c>progress</c>).
/// </summary>
public static class WorkflowShapes
{
    /// <summary><paramref name="count"/> top-level phases of equal weight.</summary>
    public static string Flat(int count, string extra = "") =>
        Array(Enumerable.Range(0, count).Select(i => Phase($"f{i}", 1.0 / count, null, extra)));

    /// <summary>A chain c0 ← c1 ← … of <paramref name="length"/> phases: the last one has length − 1 ancestors.</summary>
    public static string Chain(int length, string extra = "") =>
        Array(Enumerable.Range(0, length).Select(i => Phase($"c{i}", 1, i == 0 ? null : $"c{i - 1}", extra)));

    /// <summary>
    /// Exactly at both caps: 500 phases, c8 at depth 8. c0 holds c1 (which starts the chain down to
    /// c8) and 491 leaves, half the weight each.
    /// </summary>
    public static string AtTheCaps(string extra = "")
    {
        const int leaves = 491;
        var phases = new List<string> { Phase("c0", 1, null, extra), Phase("c1", 0.5, "c0", extra) };
        phases.AddRange(Enumerable.Range(0, leaves).Select(i => Phase($"w{i}", 0.5 / leaves, "c0", extra)));
        phases.AddRange(Enumerable.Range(2, 7).Select(i => Phase($"c{i}", 1, $"c{i - 1}", extra)));
        return Array(phases);
    }

    private static string Phase(string key, double weight, string? parent, string extra) => string.Create(CultureInfo.InvariantCulture,
        $$"""{"key":"{{key}}","label":"{{key}}","weight":{{weight:R}}{{(parent is null ? "" : $",\"parentPhaseKey\":\"{parent}\"")}}{{extra}}}""");

    private static string Array(IEnumerable<string> phases) => "[" + string.Join(',', phases) + "]";
}
