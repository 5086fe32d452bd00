using SpectralNotify.Storage;
using SpectralNotify.Tasks;

namespace SpectralNotify.Postgres;

/// <summary>
/// Task changes of one transaction written with one statement per kind of row (unnest arrays): the
/// events, the final task rows (each checked against the version it had when locked) and the
/// notifications. Used by the job algorithm's plan and by the task write group: a group of 30
/// progress writes is three statements, not ninety.
/// </summary>
internal static class PostgresTaskWrites
{
    private static NamedQueries Sql => PostgresStore.Queries;

    public static void QueueEvents(PostgresWriteTransaction tx, IReadOnlyCollection<TaskEvent> events)
    {
        if (events.Count == 0)
        {
            return;
        }
        tx.Queue(Sql["PgRunBatchEventInsert"], expectedRows: events.Count)
            .Array("task_ids", events.Select(e => e.TaskId)).Array("seqs", events.Select(e => e.Seq)).Array("types", events.Select(e => e.Type))
            .Array("kinds", events.Select(e => e.Kind)).Array("messages", events.Select(e => e.Message))
            .Array("progresses", events.Select(e => e.Progress)).Array("metadatas", events.Select(e => e.Metadata))
            .Array("timestamps", events.Select(e => (DateTimeOffset?)e.Timestamp));
    }

    /// <summary>Every changed task's final row; the version guard fails the flush if any row moved.</summary>
    public static void QueueTaskUpdates(PostgresWriteTransaction tx, IReadOnlyCollection<(TaskItem Task, long Expected)> tasks)
    {
        if (tasks.Count == 0)
        {
            return;
        }
        tx.Queue(Sql["PgRunBatchTaskUpdate"], expectedRows: tasks.Count)
            .Array("ids", tasks.Select(t => t.Task.Id)).Array("titles", tasks.Select(t => t.Task.Title))
            .Array("descriptions", tasks.Select(t => t.Task.Description)).Array("statuses", tasks.Select(t => t.Task.Status.ToWire()))
            .Array("progresses", tasks.Select(t => (double?)t.Task.Progress)).Array("metadatas", tasks.Select(t => t.Task.Metadata))
            .Array("configs", tasks.Select(t => t.Task.Config)).Array("errors", tasks.Select(t => t.Task.Error))
            .Array("updated", tasks.Select(t => (DateTimeOffset?)t.Task.UpdatedAt)).Array("started", tasks.Select(t => t.Task.StartedAt))
            .Array("completed", tasks.Select(t => t.Task.CompletedAt)).Array("failed", tasks.Select(t => t.Task.FailedAt))
            .Array("canceled", tasks.Select(t => t.Task.CanceledAt)).Array("last_seqs", tasks.Select(t => t.Task.LastSeq))
            .Array("versions", tasks.Select(t => t.Task.Version)).Array("expected", tasks.Select(t => t.Expected));
    }

    /// <summary>The notifications, in order (delivered at commit, in this order).</summary>
    public static void QueueNotices(PostgresWriteTransaction tx, string channel, IReadOnlyCollection<string> payloads)
    {
        if (payloads.Count > 0)
        {
            tx.QueueQuery(Sql["PgRunBatchNotify"]).With("channel", channel).Array("payloads", payloads);
        }
    }
}
