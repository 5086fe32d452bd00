using System.Globalization;
using SpectralNotify.Client.Models;

namespace SpectralNotify.Cli;

/// <summary>
/// A workflow as text: a header with the weighted overall progress, then its phases as a tree
/// (children under their parent, in order), each with a bar, its progress, status and weight.
/// </summary>
public static class WorkflowTree
{
    private const int BarWidth = 20;

    /// <summary>The header line and one line per phase.</summary>
    public static IReadOnlyList<string> Lines(Workflow w)
    {
        var lines = new List<string>
        {
            $"{w.Id}  {w.Status}  {w.OverallProgress}%  ({w.CompletedPhaseCount} of {w.ExpectedPhaseCount} phases done{(w.ActivePhaseKey is { } a ? $", active: {a}" : "")})",
        };
        var phases = w.Phases ?? [];
        var children = phases.ToLookup(ph => ph.ParentPhaseKey ?? "");
        var totalWeight = phases.Where(ph => ph.ParentPhaseKey is null).Sum(ph => ph.Weight);
        var keyWidth = phases.Select(ph => ph.Depth * 3 + Label(ph).Length).DefaultIfEmpty(0).Max();
        void Add(string parent, string indent)
        {
            var siblings = children[parent].OrderBy(ph => ph.Order).ToList();
            for (var i = 0; i < siblings.Count; i++)
            {
                var ph = siblings[i];
                var last = i == siblings.Count - 1;
                var name = indent + (last ? "└─ " : "├─ ") + Label(ph);
                var share = ph.ParentPhaseKey is null && totalWeight > 0 ? $"  weight {Number(ph.Weight)} ({Number(100 * ph.Weight / totalWeight)}% of the whole)" : $"  weight {Number(ph.Weight)}";
                lines.Add($"{name.PadRight(keyWidth + 3 + indent.Length - ph.Depth * 3)}  {Bar(ph.Progress)} {Output.Percent(ph.Progress),6}  {ph.Status}{share}");
                Add(ph.Key, indent + (last ? "   " : "│  "));
            }
        }
        Add("", "");
        return lines;
    }

    /// <summary>A bar of <see cref="BarWidth"/> cells for a progress from 0 to 100.</summary>
    public static string Bar(double progress)
    {
        var full = (int)Math.Round(Math.Clamp(progress, 0, 100) / 100 * BarWidth);
        return "[" + new string('#', full) + new string('.', BarWidth - full) + "]";
    }

    private static string Label(WorkflowPhase ph) => ph.Label.Length > 0 && ph.Label != ph.Key ? $"{ph.Key} ({ph.Label})" : ph.Key;

    private static string Number(double d) => d.ToString("0.##", CultureInfo.InvariantCulture);
}
