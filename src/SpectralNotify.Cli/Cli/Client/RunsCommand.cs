using System.CommandLine;
using System.Globalization;
using SpectralNotify.Client.Models;

namespace SpectralNotify.Cli;

/// <summary><c>spectral runs get|watch|cancel|retry</c> over the .NET client.</summary>
public static class RunsCommand
{
    /// <summary>The <c>runs</c> verb and its subcommands.</summary>
    public static Command Create()
    {
        var runs = new Command("runs", "Inspect, watch, cancel and retry job runs.");
        var getId = IdArgument();
        var get = new Command("get", "Show one run.") { getId };
        ClientVerb.SetAction(get, async (p, client, ct) => Write(p, await client.Runs.GetAsync(p.GetRequiredValue(getId), ct)));
        runs.Subcommands.Add(get);
        runs.Subcommands.Add(WatchCommand.ForRuns());

        var cancelId = IdArgument();
        var reason = new Option<string?>("--reason") { Description = "Why, logged with the cancellation." };
        var cancel = new Command("cancel", "Cancel the run: a pending run ends at once, a running one is asked to stop.") { cancelId, reason };
        ClientVerb.SetAction(cancel, async (p, client, ct) =>
        {
            await client.Runs.CancelAsync(p.GetRequiredValue(cancelId), p.GetValue(reason), ct: ct);
            return Write(p, await client.Runs.GetAsync(p.GetRequiredValue(cancelId), ct));
        });
        runs.Subcommands.Add(cancel);

        var retryId = IdArgument();
        var retry = new Command("retry", "Do a failed (dead-lettered) or canceled run again, as a new run; prints the new run.") { retryId };
        ClientVerb.SetAction(retry, async (p, client, ct) => Write(p, await client.Runs.RetryAsync(p.GetRequiredValue(retryId), ct: ct)));
        runs.Subcommands.Add(retry);
        return runs;
    }

    /// <summary>Writes a run for <c>-o</c>.</summary>
    public static int Write(ParseResult p, Run run) => Output.Write(p, run, r => Output.Fields(
        ("ID", r.Id),
        ("Job", r.JobId),
        ("Type", r.Type),
        ("State", r.State),
        ("Status", r.Status),
        ("Attempt", $"{r.Attempt} of {r.MaxRetries + 1}"),
        ("Queue", r.Queue),
        ("Run at", Output.Time(r.RunAt)),
        ("Worker", r.WorkerId),
        ("Cancel requested", r.CancelRequested ? "yes" : null),
        ("Payload", Output.Json(r.Payload)),
        ("Result", Output.Json(r.Result)),
        ("Created", Output.Time(r.CreatedAt))));

    /// <summary>Writes runs as a table for <c>-o text</c>.</summary>
    public static int WriteList(ParseResult p, IReadOnlyList<Run> runs) => Output.WriteList(p, runs,
        ("ID", r => r.Id),
        ("STATE", r => r.State),
        ("STATUS", r => r.Status ?? ""),
        ("ATTEMPT", r => r.Attempt.ToString(CultureInfo.InvariantCulture)),
        ("RUN-AT", r => Output.Time(r.RunAt)));

    private static Argument<string> IdArgument() => new("id") { Description = "The run's id." };
}
