using System.Text.Json;
using SpectralNotify.Access;
using SpectralNotify.Jobs;
using SpectralNotify.Realtime;
using SpectralNotify.Server.Api.V1.Contracts;
using SpectralNotify.Storage;
using SpectralNotify.Tasks;

namespace SpectralNotify.Server.Realtime.V2;

/// <summary>
/// <c>run:&lt;id&gt;</c>: a run's task events, each with the run (<see cref="RunDto"/>, its <c>result</c> once
/// done) and its task (progress, message). A run's seq is its task's. It ends when its last attempt
/// ends (the task's terminal event); a retried attempt is an ordinary change.
/// </summary>
public sealed class RunTopic(IStore store, JsonSerializerOptions json) : EntityTopic(json)
{
    public override string Name => "run";
    public override Resource Resource => Resource.Runs;
    public override string Kind => FeedItem.TaskKind;

    public override Outgoing Encode(FeedItem item)
    {
        var c = (TaskChange)item.Change!;
        // A task write to a run's task (progress from its worker) carries no run: read it back.
        return item.Run is { } run ? Message(c.Event, run, c.Task, c.Event.Timestamp) : new Outgoing(item.Seq, TaskHub.HintType, []);
    }

    private Outgoing Message(TaskEvent e, JobRun run, TaskItem task, DateTimeOffset? committedAt) =>
        ChangeMessage("change", Epoch.Of(task.CreatedAt), e.Seq, EventDto.From(e), RunDto.From(run, task), TaskDto.From(task),
            TaskTopic.EndReason(e), committedAt);

    public override async Task<ReplayPage> ReadAfterAsync(string id, long after, ReplayLimit limit, CancellationToken ct)
    {
        var events = await store.TaskEventListAsync(id, after, limit.Messages, ct);
        if (events.Count == 0 || await store.RunGetAsync(id, ct) is not { } run || await store.TaskGetAsync(id, ct) is not { } task)
        {
            return ReplayPage.Empty(limit);
        }
        return new ReplayPage(limit).Fill(events, e => Message(e, run, task, null));
    }

    public override async Task<EntityState> StateAsync(string id, CancellationToken ct)
    {
        var run = await store.RunGetAsync(id, ct);
        var task = run is null ? null : await store.TaskGetAsync(id, ct);
        if (run is null || task is null)
        {
            return new EntityState(null, 0, LiveMessages.Snapshot(null, 0, null, Json));
        }
        var epoch = Epoch.Of(task.CreatedAt);
        return new EntityState(epoch, task.LastSeq, LiveMessages.Snapshot(epoch, task.LastSeq, RunDto.From(run, task), Json), EntityState.EndOf(task.Status));
    }
}
