using System.Text.Json;
using SpectralNotify.Access;
using SpectralNotify.Realtime;
using SpectralNotify.Server.Api.V1.Contracts;
using SpectralNotify.Storage;
using SpectralNotify.Tasks;

namespace SpectralNotify.Server.Realtime.V2;

/// <summary><c>task:&lt;id&gt;</c>: a task's events (<see cref="EventDto"/>) with the task after each (<see cref="TaskDto"/>).</summary>
public sealed class TaskTopic(IStore store, JsonSerializerOptions json) : EntityTopic(json)
{
    public override string Name => "task";
    public override Resource Resource => Resource.Tasks;
    public override string Kind => FeedItem.TaskKind;

    /// <summary>The <c>end</c> reason when <paramref name="e"/> made its task terminal, else null.</summary>
    public static string? EndReason(TaskEvent e) => e.Kind switch
    {
        TaskChangeKind.Complete => "success",
        TaskChangeKind.Fail => "failed",
        TaskChangeKind.Cancel => "canceled",
        _ => null,
    };

    public override Outgoing Encode(FeedItem item)
    {
        var c = (TaskChange)item.Change!;
        return Message(c.Event, c.Task, c.Event.Timestamp);
    }

    private Outgoing Message(TaskEvent e, TaskItem task, DateTimeOffset? committedAt) =>
        ChangeMessage("change", Epoch.Of(task.CreatedAt), e.Seq, EventDto.From(e), TaskDto.From(task), null, EndReason(e), committedAt);

    public override async Task<ReplayPage> ReadAfterAsync(string id, long after, ReplayLimit limit, CancellationToken ct)
    {
        var events = await store.TaskEventListAsync(id, after, limit.Messages, ct);
        if (events.Count == 0 || await store.TaskGetAsync(id, ct) is not { } task)
        {
            return ReplayPage.Empty(limit);
        }
        return new ReplayPage(limit).Fill(events, e => Message(e, task, null));
    }

    public override async Task<EntityState> StateAsync(string id, CancellationToken ct)
    {
        var task = await store.TaskGetAsync(id, ct);
        var epoch = task is null ? null : Epoch.Of(task.CreatedAt);
        var seq = task?.LastSeq ?? 0;
        return new EntityState(epoch, seq, LiveMessages.Snapshot(epoch, seq, task is null ? null : TaskDto.From(task), Json), EntityState.EndOf(task?.Status));
    }
}
