using System.CommandLine;
using SpectralNotify.Client.Models;

namespace SpectralNotify.Cli;

/// <summary>
/// <c>spectral tasks list|get|watch|create|progress|event|complete|fail|cancel</c> over the .NET
/// client: each verb is one REST call (<c>watch</c>: a live watch, <see cref="WatchCommand"/>).
/// </summary>
public static class TasksCommand
{
    /// <summary>The <c>tasks</c> verb and its subcommands.</summary>
    public static Command Create()
    {
        var tasks = new Command("tasks", "List, inspect, create, update and watch tasks on a server.");
        tasks.Subcommands.Add(List());
        tasks.Subcommands.Add(Get());
        tasks.Subcommands.Add(WatchCommand.ForTasks());
        tasks.Subcommands.Add(CreateTask());
        tasks.Subcommands.Add(Progress());
        tasks.Subcommands.Add(Event());
        tasks.Subcommands.Add(Complete());
        tasks.Subcommands.Add(Fail());
        tasks.Subcommands.Add(Cancel());
        return tasks;
    }

    /// <summary>The <c>id</c> argument of a task verb.</summary>
    public static Argument<string> IdArgument() => new("id") { Description = "The task's id." };

    /// <summary>Writes a task for <c>-o</c>.</summary>
    public static int Write(ParseResult p, SpectralTask task) => Output.Write(p, task, t => Output.Fields(
        ("ID", t.Id),
        ("Title", t.Title),
        ("Type", t.Type),
        ("Status", t.Status),
        ("Progress", Output.Percent(t.Progress)),
        ("Error", t.Error),
        ("Metadata", Output.Json(t.Metadata)),
        ("Workflow", t.WorkflowId),
        ("Created", Output.Time(t.CreatedAt)),
        ("Updated", Output.Time(t.UpdatedAt)),
        ("Ended", Output.Time(t.CompletedAt ?? t.FailedAt ?? t.CanceledAt, "") is { Length: > 0 } ended ? ended : null),
        ("Last seq", t.LastSeq.ToString(System.Globalization.CultureInfo.InvariantCulture))));

    private static Command List()
    {
        var status = new Option<string?>("--status") { Description = "Only tasks in this status (pending, in-progress, completed, failed, canceled)." };
        var type = new Option<string?>("--type") { Description = "Only tasks of this type." };
        var query = new Option<string?>("--query", "-q") { Description = "Only tasks whose title or id contains this text." };
        var limit = new Option<int?>("--limit") { Description = "At most this many (one page; 50 by default)." };
        var command = new Command("list", "List tasks, newest first.") { status, type, query, limit };
        ClientVerb.SetAction(command, async (p, client, ct) =>
        {
            var page = await client.Tasks.ListAsync(new TaskQuery { Status = p.GetValue(status), Type = p.GetValue(type), Q = p.GetValue(query), Limit = p.GetValue(limit) }, ct);
            return Output.WriteList(p, page.Data,
                ("ID", t => t.Id),
                ("STATUS", t => t.Status),
                ("PROGRESS", t => Output.Percent(t.Progress)),
                ("UPDATED", t => Output.Time(t.UpdatedAt)),
                ("TITLE", t => t.Title ?? ""));
        });
        return command;
    }

    private static Command Get()
    {
        var id = IdArgument();
        var command = new Command("get", "Show one task.") { id };
        ClientVerb.SetAction(command, async (p, client, ct) => Write(p, await client.Tasks.GetAsync(p.GetRequiredValue(id), ct)));
        return command;
    }

    private static Command CreateTask()
    {
        var id = new Option<string?>("--id") { Description = "The task's id; generated when left out." };
        var title = new Option<string?>("--title") { Description = "A title for people." };
        var description = new Option<string?>("--description") { Description = "A longer description." };
        var type = new Option<string?>("--type") { Description = "A type, to filter by." };
        var metadata = MetadataOption();
        var ttl = new Option<double?>("--ttl") { Description = "Delete the task this many seconds after it ends." };
        var command = new Command("create", "Create a task (pending, 0%).") { id, title, description, type, metadata, ttl };
        ClientVerb.SetAction(command, async (p, client, ct) => Write(p, await client.Tasks.CreateAsync(new CreateTaskRequest
        {
            Id = p.GetValue(id),
            Title = p.GetValue(title),
            Description = p.GetValue(description),
            Type = p.GetValue(type),
            Metadata = Output.ParseJson(p.GetValue(metadata), "--metadata"),
            TtlSeconds = p.GetValue(ttl),
        }, ct: ct)));
        return command;
    }

    private static Command Progress()
    {
        var id = IdArgument();
        var percent = new Argument<double>("percent") { Description = "Progress from 0 to 100." };
        var message = new Option<string?>("--message", "-m") { Description = "What is happening, logged as a progress event." };
        var command = new Command("progress", "Report progress (starts a pending task).") { id, percent, message };
        ClientVerb.SetAction(command, async (p, client, ct) =>
            Write(p, await client.Tasks.ProgressAsync(p.GetRequiredValue(id), p.GetValue(percent), p.GetValue(message), ct: ct)));
        return command;
    }

    private static Command Event()
    {
        var id = IdArgument();
        var message = new Argument<string>("message") { Description = "The event's message." };
        var type = new Option<string>("--type") { Description = "log (default), progress, error or success.", DefaultValueFactory = _ => TaskEventTypes.Log };
        type.AcceptOnlyFromAmong(TaskEventTypes.Log, TaskEventTypes.Progress, TaskEventTypes.Error, TaskEventTypes.Success);
        var progress = new Option<double?>("--progress") { Description = "The progress this event reports." };
        var metadata = MetadataOption();
        var command = new Command("event", "Append an event to the task's history.") { id, message, type, progress, metadata };
        ClientVerb.SetAction(command, async (p, client, ct) =>
        {
            var added = await client.Tasks.AddEventAsync(p.GetRequiredValue(id), new AddEventRequest
            {
                Type = p.GetValue(type),
                Message = p.GetValue(message),
                Progress = p.GetValue(progress),
                Metadata = Output.ParseJson(p.GetValue(metadata), "--metadata"),
            }, ct: ct);
            return Output.Write(p, added, e => Console.WriteLine($"{e.TaskId} #{e.Seq} {e.Type}: {e.Message}"));
        });
        return command;
    }

    private static Command Complete()
    {
        var id = IdArgument();
        var metadata = MetadataOption();
        var command = new Command("complete", "Mark the task completed (100%).") { id, metadata };
        ClientVerb.SetAction(command, async (p, client, ct) =>
            Write(p, await client.Tasks.CompleteAsync(p.GetRequiredValue(id), Output.ParseJson(p.GetValue(metadata), "--metadata"), ct: ct)));
        return command;
    }

    private static Command Fail()
    {
        var id = IdArgument();
        var error = new Argument<string>("error") { Description = "What went wrong." };
        var metadata = MetadataOption();
        var command = new Command("fail", "Mark the task failed with an error.") { id, error, metadata };
        ClientVerb.SetAction(command, async (p, client, ct) =>
            Write(p, await client.Tasks.FailAsync(p.GetRequiredValue(id), p.GetRequiredValue(error), Output.ParseJson(p.GetValue(metadata), "--metadata"), ct: ct)));
        return command;
    }

    private static Command Cancel()
    {
        var id = IdArgument();
        var reason = new Option<string?>("--reason") { Description = "Why, logged with the cancellation." };
        var command = new Command("cancel", "Cancel the task.") { id, reason };
        ClientVerb.SetAction(command, async (p, client, ct) => Write(p, await client.Tasks.CancelAsync(p.GetRequiredValue(id), p.GetValue(reason), ct: ct)));
        return command;
    }

    /// <summary><c>--metadata JSON</c>.</summary>
    public static Option<string?> MetadataOption() => new("--metadata") { Description = "A JSON object merged into the task's metadata.", HelpName = "json" };
}
