using Spectre.Console;

namespace SpectralNotify.Cli;

/// <summary>How a watch shows its updates; <see cref="ShowAsync"/> returns the end reason, or null if the stream ended without one.</summary>
public interface IWatchView
{
    /// <summary>Shows every update until the stream ends (or throws when it is canceled).</summary>
    Task<string?> ShowAsync(string title, IAsyncEnumerable<WatchUpdate> updates, CancellationToken ct);
}

/// <summary>Redirected output, <c>NO_COLOR</c> or <c>CI=true</c>: one plain line per event, no cursor control.</summary>
public sealed class PlainWatchView : IWatchView
{
    /// <inheritdoc />
    public async Task<string?> ShowAsync(string title, IAsyncEnumerable<WatchUpdate> updates, CancellationToken ct)
    {
        await foreach (var u in updates.WithCancellation(ct))
        {
            if (u.Line is { } line)
            {
                // Flushed per line, so a reader of the pipe sees each event as it happens.
                await Console.Out.WriteLineAsync(line);
                await Console.Out.FlushAsync(ct);
            }
            if (u.EndReason is { } end)
            {
                return end;
            }
        }
        return null;
    }
}

/// <summary><c>-o jsonl</c> (or json): one live change per line, carrying its seq.</summary>
public sealed class JsonlWatchView : IWatchView
{
    /// <inheritdoc />
    public async Task<string?> ShowAsync(string title, IAsyncEnumerable<WatchUpdate> updates, CancellationToken ct)
    {
        await foreach (var u in updates.WithCancellation(ct))
        {
            await Console.Out.WriteLineAsync(Output.Line(u.Json));
            await Console.Out.FlushAsync(ct);
            if (u.EndReason is { } end)
            {
                return end;
            }
        }
        return null;
    }
}

/// <summary>
/// A terminal: a Spectre.Console progress display (the bar with its ETA, for a workflow one bar per
/// phase) that stays at the bottom while the event log scrolls above it.
/// </summary>
public sealed class TerminalWatchView : IWatchView
{
    // The caller decided this is a terminal (stdout not redirected, no NO_COLOR, not CI), so ANSI is
    // used whatever TERM says: a pseudo-terminal started without TERM is a terminal all the same.
    private readonly IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Ansi = AnsiSupport.Yes,
        ColorSystem = ColorSystemSupport.Standard,
        Interactive = InteractionSupport.Yes,
        Out = new AnsiConsoleOutput(Console.Out),
    });

    /// <inheritdoc />
    public async Task<string?> ShowAsync(string title, IAsyncEnumerable<WatchUpdate> updates, CancellationToken ct)
    {
        string? ended = null;
        await console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var overall = ctx.AddTask(Markup.Escape(title), maxValue: 100);
                var phases = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
                await foreach (var u in updates.WithCancellation(ct))
                {
                    if (u.Line is { } line)
                    {
                        console.MarkupLine(Color(u, line));
                    }
                    if (u.Progress is { } progress)
                    {
                        overall.Value = progress;
                    }
                    if (u.Status is { } status)
                    {
                        overall.Description = Markup.Escape($"{title} ({status})");
                    }
                    foreach (var (label, value) in u.Bars ?? [])
                    {
                        if (!phases.TryGetValue(label, out var bar))
                        {
                            phases[label] = bar = ctx.AddTask(Markup.Escape(label), maxValue: 100);
                        }
                        bar.Value = value;
                    }
                    if (u.EndReason is { } end)
                    {
                        ended = end;
                        break;
                    }
                }
                overall.StopTask();
                foreach (var bar in phases.Values)
                {
                    bar.StopTask();
                }
            });
        return ended;
    }

    private static string Color(WatchUpdate u, string line)
    {
        var escaped = Markup.Escape(line);
        return u.EndReason switch
        {
            "success" => $"[green]{escaped}[/]",
            null when line.Contains(" error", StringComparison.Ordinal) => $"[red]{escaped}[/]",
            null => escaped,
            _ => $"[red]{escaped}[/]",
        };
    }
}
