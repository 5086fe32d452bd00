using System.CommandLine;
using System.Globalization;
using SpectralNotify.Client.Models;

namespace SpectralNotify.Cli;

/// <summary><c>spectral jobs list|get|create|trigger|pause|resume|runs</c> over the .NET client.</summary>
public static class JobsCommand
{
    /// <summary>The <c>jobs</c> verb and its subcommands.</summary>
    public static Command Create()
    {
        var jobs = new Command("jobs", "List, inspect, create, trigger, pause and resume job definitions.");
        jobs.Subcommands.Add(List());
        jobs.Subcommands.Add(Get());
        jobs.Subcommands.Add(CreateJob());
        jobs.Subcommands.Add(Act("trigger", "Enqueue a run now, whatever the schedule; prints the run.", (c, id, ct) => c.Jobs.TriggerAsync(id, ct: ct), RunsCommand.Write));
        jobs.Subcommands.Add(Act("pause", "Stop the job's schedule from firing.", (c, id, ct) => c.Jobs.PauseAsync(id, ct: ct), Write));
        jobs.Subcommands.Add(Act("resume", "Let a paused job fire again.", (c, id, ct) => c.Jobs.ResumeAsync(id, ct: ct), Write));
        jobs.Subcommands.Add(Runs());
        return jobs;
    }

    private static int Write(ParseResult p, Job job) => Output.Write(p, job, j => Output.Fields(
        ("ID", j.Id),
        ("Type", j.Type),
        ("State", j.State),
        ("Schedule", Schedule(j.Schedule)),
        ("Next fire", Output.Time(j.NextFireAt, "") is { Length: > 0 } next ? next : null),
        ("Queue", j.Queue),
        ("Priority", j.Priority.ToString(CultureInfo.InvariantCulture)),
        ("Max retries", j.MaxRetries.ToString(CultureInfo.InvariantCulture)),
        ("Timeout", j.TimeoutSeconds is { } t ? $"{t} s" : null),
        ("Payload", Output.Json(j.Payload)),
        ("Run", j.Run?.Id),
        ("Created", Output.Time(j.CreatedAt))));

    private static string Schedule(JobSchedule? s) => s?.Kind switch
    {
        JobScheduleKind.Cron => $"cron '{s.Cron}'{(s.Timezone is { } tz ? $" in {tz}" : "")}",
        JobScheduleKind.Interval => $"every {s.IntervalSeconds} s",
        JobScheduleKind.At => $"at {Output.Time(s.At)}",
        _ => "manual",
    };

    private static Command List()
    {
        var command = new Command("list", "List job definitions.");
        ClientVerb.SetAction(command, async (p, client, ct) =>
        {
            var page = await client.Jobs.ListAsync(ct: ct);
            return Output.WriteList(p, page.Data,
                ("ID", j => j.Id),
                ("TYPE", j => j.Type),
                ("STATE", j => j.State),
                ("SCHEDULE", j => Schedule(j.Schedule)),
                ("NEXT", j => Output.Time(j.NextFireAt)));
        });
        return command;
    }

    private static Command Get()
    {
        var id = IdArgument();
        var command = new Command("get", "Show one job definition.") { id };
        ClientVerb.SetAction(command, async (p, client, ct) => Write(p, await client.Jobs.GetAsync(p.GetRequiredValue(id), ct)));
        return command;
    }

    private static Command CreateJob()
    {
        var type = new Option<string>("--type") { Description = "The handler type that runs it.", Required = true };
        var id = new Option<string?>("--id") { Description = "The job's id; generated when left out." };
        var payload = new Option<string?>("--payload") { Description = "The JSON payload each run gets.", HelpName = "json" };
        var queue = new Option<string?>("--queue") { Description = "The queue (default)." };
        var priority = new Option<int?>("--priority") { Description = "Higher runs first." };
        var maxRetries = new Option<int?>("--max-retries") { Description = "Retries after a failed attempt." };
        var timeout = new Option<int?>("--timeout") { Description = "Seconds an attempt may take." };
        var cron = new Option<string?>("--cron") { Description = "A cron schedule (5 fields)." };
        var timezone = new Option<string?>("--tz") { Description = "The cron schedule's IANA time zone (UTC)." };
        var every = new Option<int?>("--every") { Description = "An interval schedule, in seconds." };
        var at = new Option<DateTimeOffset?>("--at") { Description = "Run once at this ISO-8601 time." };
        var uniqueKey = new Option<string?>("--unique-key") { Description = "At most one unfinished run with this key." };
        var paused = new Option<bool>("--paused") { Description = "Create it paused." };
        var runNow = new Option<bool>("--run-now") { Description = "Also enqueue a run now." };
        var command = new Command("create", "Define a job: manual (trigger it), --cron, --every or --at.")
        {
            type, id, payload, queue, priority, maxRetries, timeout, cron, timezone, every, at, uniqueKey, paused, runNow,
        };
        ClientVerb.SetAction(command, async (p, client, ct) =>
        {
            var schedule = p.GetValue(cron) is { } c ? JobSchedule.CronIn(c, p.GetValue(timezone))
                : p.GetValue(every) is { } seconds ? new JobSchedule { IntervalSeconds = seconds }
                : p.GetValue(at) is { } when ? JobSchedule.Once(when)
                : null;
            var job = await client.Jobs.CreateAsync(new CreateJobRequest
            {
                Id = p.GetValue(id),
                Type = p.GetValue(type),
                Payload = Output.ParseJson(p.GetValue(payload), "--payload"),
                Queue = p.GetValue(queue),
                Priority = p.GetValue(priority),
                MaxRetries = p.GetValue(maxRetries),
                TimeoutSeconds = p.GetValue(timeout),
                Schedule = schedule,
                UniqueKey = p.GetValue(uniqueKey),
                State = p.GetValue(paused) ? JobStates.Paused : null,
                RunNow = p.GetValue(runNow) ? true : null,
            }, ct: ct);
            return Write(p, job);
        });
        return command;
    }

    private static Command Runs()
    {
        var id = IdArgument();
        var limit = new Option<int?>("--limit") { Description = "At most this many (newest first)." };
        var command = new Command("runs", "List the job's latest runs.") { id, limit };
        ClientVerb.SetAction(command, async (p, client, ct) =>
            RunsCommand.WriteList(p, await client.Jobs.ListRunsAsync(p.GetRequiredValue(id), p.GetValue(limit), ct)));
        return command;
    }

    private static Command Act<T>(string name, string description, Func<SpectralNotify.Client.SpectralClient, string, CancellationToken, Task<T>> call, Func<ParseResult, T, int> write)
    {
        var id = IdArgument();
        var command = new Command(name, description) { id };
        ClientVerb.SetAction(command, async (p, client, ct) => write(p, await call(client, p.GetRequiredValue(id), ct)));
        return command;
    }

    private static Argument<string> IdArgument() => new("id") { Description = "The job's id." };
}
