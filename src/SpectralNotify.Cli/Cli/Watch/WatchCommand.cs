using System.CommandLine;
using System.Globalization;
using SpectralNotify.Client;
using SpectralNotify.Client.Live;

namespace SpectralNotify.Cli;

/// <summary>
/// <c>spectral tasks|runs|workflows|counters watch &lt;id&gt;</c>: prints the entity's dashboard URL,
/// then every change from the start of its history, live, until it ends (a counter never does). The
/// live client resumes a dropped connection by seq and epoch, so no line is missing or repeated.
/// Exit codes (<see cref="ExitCodes"/>): with <c>--exit-status</c> 0 success, 1 failed (or deleted),
/// 2 canceled; without it 0 whenever the entity ended; always 3 at <c>--timeout</c> and 4 when the
/// server cannot be reached or refuses the key.
/// </summary>
public static class WatchCommand
{
    /// <summary><c>tasks watch</c>.</summary>
    public static Command ForTasks() => Create(new TaskWatchTarget(), "Watch a task live: progress bar with ETA and its event log.");

    /// <summary><c>runs watch</c>.</summary>
    public static Command ForRuns() => Create(new RunWatchTarget(), "Watch a run live: its task's progress and events until its last attempt ends.");

    /// <summary><c>workflows watch</c>.</summary>
    public static Command ForWorkflows() => Create(new WorkflowWatchTarget(), "Watch a workflow live: weighted overall progress, one bar per phase, its events.");

    /// <summary><c>counters watch</c>.</summary>
    public static Command ForCounters() => Create(new CounterWatchTarget(), "Watch a counter live: each operation (runs until Ctrl+C or --timeout).");

    private static Command Create(WatchTarget target, string description)
    {
        var id = new Argument<string>(target.Noun == "counter" ? "name" : "id") { Description = $"The {target.Noun}'s {(target.Noun == "counter" ? "name" : "id")}." };
        var exitStatus = new Option<bool>("--exit-status") { Description = "Exit 0 if it succeeded, 1 if it failed, 2 if it was canceled." };
        var timeout = new Option<double?>("--timeout") { Description = "Stop after this many seconds and exit 3.", HelpName = "seconds" };
        var command = new Command("watch", description) { id, exitStatus, timeout };
        ClientVerb.SetAction(command, (p, client, ct) =>
            RunAsync(p, client, target, p.GetRequiredValue(id), p.GetValue(exitStatus), p.GetValue(timeout), ct));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult p, SpectralClient client, WatchTarget target, string id, bool exitStatus, double? timeoutSeconds, CancellationToken ct)
    {
        if (timeoutSeconds is <= 0)
        {
            return await Usage.FailAsync(p, "--timeout must be above 0 seconds");
        }
        using var timeout = timeoutSeconds is { } s ? new CancellationTokenSource(TimeSpan.FromSeconds(s)) : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        var format = p.GetValue(GlobalOptions.Output);
        IWatchView view = format != OutputFormat.Text ? new JsonlWatchView() : IsTerminal() ? new TerminalWatchView() : new PlainWatchView();
        var url = target.DashboardUrl(client.Options.BaseAddress!, id);
        try
        {
            var title = await target.CheckAsync(client, id, linked.Token);
            // jsonl keeps stdout to changes only; the URL goes to stderr there.
            await (format == OutputFormat.Text ? Console.Out : Console.Error).WriteLineAsync(url);
            client.Live.Reconnecting += error => Console.Error.WriteLineAsync($"connection lost ({error?.Message ?? "closed"}); resuming…");
            var end = await view.ShowAsync(title, target.WatchAsync(client, id, linked.Token), linked.Token);
            return !exitStatus ? ExitCodes.Success : end switch
            {
                "success" => ExitCodes.Success,
                "canceled" => ExitCodes.Canceled,
                _ => ExitCodes.Failed,
            };
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync($"error: --timeout {timeoutSeconds!.Value.ToString(CultureInfo.InvariantCulture)} s reached before {target.Noun} {id} ended");
            return ExitCodes.Timeout;
        }
        catch (SpectralLiveException ex)
        {
            await Console.Error.WriteLineAsync($"error: live connection: {ex.Code}: {ex.Message}");
            return ExitCodes.Connection;
        }
    }

    /// <summary>A terminal that wants live rendering: stdout not redirected, no <c>NO_COLOR</c>, not <c>CI=true</c>.</summary>
    public static bool IsTerminal() =>
        !Console.IsOutputRedirected
        && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"))
        && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
}
