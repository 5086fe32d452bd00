namespace SpectralNotify.Cli;

/// <summary>
/// One live change as the watch views need it: the plain line for people, the object for
/// <c>-o jsonl</c>, the progress (overall and per phase) for the terminal's bars, and the end.
/// </summary>
/// <param name="Seq">The change's seq (a snapshot's: where changes continue after).</param>
/// <param name="Line">The plain line of this change, or null when it has none (a snapshot).</param>
/// <param name="Json">What <c>-o jsonl</c> writes for it: the live change with its seq.</param>
/// <param name="Progress">The entity's progress from 0 to 100 after it, when it has one.</param>
/// <param name="Status">The entity's status after it, when known.</param>
/// <param name="Bars">For a workflow: each phase as an indented label and its progress, in tree order.</param>
/// <param name="EndReason">For the end: success, failed, canceled or deleted.</param>
public sealed record WatchUpdate(
    long Seq,
    string? Line,
    object Json,
    double? Progress = null,
    string? Status = null,
    IReadOnlyList<(string Label, double Progress)>? Bars = null,
    string? EndReason = null);
