using System.Globalization;
using System.Text.Json;
using SpectralNotify.Client;
using SpectralNotify.Client.Live;
using SpectralNotify.Client.Models;

namespace SpectralNotify.Cli;

/// <summary>A task: its events, progress and status.</summary>
public sealed class TaskWatchTarget : WatchTarget
{
    /// <inheritdoc />
    public override string Noun => "task";

    /// <inheritdoc />
    public override async Task<string> CheckAsync(SpectralClient client, string id, CancellationToken ct) =>
        (await client.Tasks.GetAsync(id, ct)).Title ?? id;

    /// <inheritdoc />
    public override IAsyncEnumerable<WatchUpdate> WatchAsync(SpectralClient client, string id, CancellationToken ct) =>
        Watch<SpectralTask, TaskEvent>(client, id, c => new WatchUpdate(
            c.Seq,
            c.Event is { } e ? EventLine(e.Seq, e.Timestamp, e.Type, e.Progress, e.Message) : Special(c, id),
            Json(c),
            c.Entity?.Progress,
            c.Entity?.Status,
            EndReason: c.Kind == LiveChangeKind.End ? c.EndReason : null), ct);
}

/// <summary>A run: its task's events, with the run's state and its task's progress.</summary>
public sealed class RunWatchTarget : WatchTarget
{
    /// <inheritdoc />
    public override string Noun => "run";

    /// <inheritdoc />
    public override async Task<string> CheckAsync(SpectralClient client, string id, CancellationToken ct)
    {
        var run = await client.Runs.GetAsync(id, ct);
        return $"{run.Type} {run.Id}";
    }

    /// <inheritdoc />
    public override IAsyncEnumerable<WatchUpdate> WatchAsync(SpectralClient client, string id, CancellationToken ct) =>
        Watch<Run, TaskEvent>(client, id, c => new WatchUpdate(
            c.Seq,
            c.Event is { } e ? EventLine(e.Seq, e.Timestamp, e.Type, e.Progress, e.Message) : Special(c, id),
            Json(c),
            c.Task?.Progress,
            c.Entity is { } r ? r.Status ?? r.State : null,
            EndReason: c.Kind == LiveChangeKind.End ? c.EndReason : null), ct);

}

/// <summary>A workflow: its events, with the weighted overall progress and one bar per phase.</summary>
public sealed class WorkflowWatchTarget : WatchTarget
{
    /// <inheritdoc />
    public override string Noun => "workflow";

    /// <inheritdoc />
    public override async Task<string> CheckAsync(SpectralClient client, string id, CancellationToken ct) =>
        (await client.Workflows.GetAsync(id, ct)).Id;

    /// <inheritdoc />
    public override IAsyncEnumerable<WatchUpdate> WatchAsync(SpectralClient client, string id, CancellationToken ct) =>
        Watch<Workflow, WorkflowEvent>(client, id, c => new WatchUpdate(
            c.Seq,
            c.Event is { } e ? EventLine(e.Seq, e.Timestamp, e.PhaseKey is { } k ? $"{e.Type} [{k}]" : e.Type, e.Progress, e.Message) : Special(c, id),
            Json(c),
            c.Entity?.OverallProgress,
            c.Entity?.Status,
            c.Entity is { Phases: { Count: > 0 } } w ? Bars(w) : null,
            c.Kind == LiveChangeKind.End ? c.EndReason : null), ct);

    /// <summary>Each phase indented by depth, in tree order (children under their parent).</summary>
    private static List<(string, double)> Bars(Workflow w)
    {
        var children = w.Phases!.ToLookup(ph => ph.ParentPhaseKey ?? "");
        var bars = new List<(string, double)>();
        void Add(string parent)
        {
            foreach (var ph in children[parent].OrderBy(ph => ph.Order))
            {
                bars.Add(($"{new string(' ', 2 * (ph.Depth + 1))}{ph.Key} (weight {ph.Weight.ToString("0.##", CultureInfo.InvariantCulture)})", ph.Progress));
                Add(ph.Key);
            }
        }
        Add("");
        return bars;
    }
}

/// <summary>A counter: each operation with the value before and after. A counter never ends.</summary>
public sealed class CounterWatchTarget : WatchTarget
{
    /// <inheritdoc />
    public override string Noun => "counter";

    /// <inheritdoc />
    public override async Task<string> CheckAsync(SpectralClient client, string id, CancellationToken ct) =>
        (await client.Counters.GetAsync(id, ct)).Name;

    /// <inheritdoc />
    public override IAsyncEnumerable<WatchUpdate> WatchAsync(SpectralClient client, string id, CancellationToken ct) =>
        Watch<Counter, CounterHistoryEntry>(client, id, c => new WatchUpdate(
            c.Seq,
            c.Event is { } e
                ? $"#{e.Seq.ToString(CultureInfo.InvariantCulture)} {Output.Time(e.Timestamp)} {e.Operation} {e.PreviousValue.ToString(CultureInfo.InvariantCulture)} -> {e.NewValue.ToString(CultureInfo.InvariantCulture)}"
                : Special(c, id),
            Json(c),
            EndReason: c.Kind == LiveChangeKind.End ? c.EndReason : null), ct);
}
