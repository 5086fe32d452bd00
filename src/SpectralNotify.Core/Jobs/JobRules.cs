using System.Text.Json;
using SpectralNotify.Tasks;

namespace SpectralNotify.Jobs;

/// <summary>Engine-independent steps of enqueueing runs and firing schedules; stores call them inside their transaction.</summary>
public static class JobRules
{
    /// <summary>Soft delete: the job stops firing and disappears from lists; its runs and their history stay. Deleting twice keeps the first time.</summary>
    public static Job SoftDelete(Job job, DateTimeOffset now) => job.DeletedAt is null ? job with { DeletedAt = Clock.Truncate(now) } : job;

    /// <summary>Undoes a soft delete; a schedule starts again from now.</summary>
    public static Job Restore(Job job) => job with { DeletedAt = null };

    /// <summary>A paused job keeps its definition and fires nothing until resumed.</summary>
    public static Job Pause(Job job) => job with { State = Job.Paused };

    /// <summary>Resumes firing; the schedule starts again from now (missed firings while paused are not made up).</summary>
    public static Job Resume(Job job) => job with { State = Job.Active };

    /// <summary>The task and queue row of a new run. The task carries the job's coordinates in its metadata for watchers.</summary>
    public static (NewTask Task, JobRun Run) NewRunRecords(NewRun input, DateTimeOffset now)
    {
        now = Clock.Truncate(now);
        var id = input.Id ?? "run-" + Guid.CreateVersion7().ToString("N");
        // scheduledAt is when the run was due (a schedule's fire time, or its runAt); runAt when it may be claimed.
        var scheduledAt = Clock.Truncate(input.RunAt ?? now);
        var runAt = scheduledAt > now ? scheduledAt : now;
        var task = new NewTask
        {
            Id = id, Title = input.Title ?? input.Type, Type = input.Type, Status = TaskState.Pending, CreatedBy = input.CreatedBy,
            Metadata = Metadata(input),
        };
        var run = new JobRun
        {
            TaskId = id, JobId = input.JobId, Type = input.Type, Queue = input.Queue, Priority = input.Priority, Payload = input.Payload,
            MaxRetries = input.MaxRetries, TimeoutSeconds = input.TimeoutSeconds, RunAt = runAt, ScheduledAt = scheduledAt,
            UniqueKey = input.UniqueKey, CreatedAt = now, ExpiresAt = input.ExpiresAt is { } e ? Clock.Truncate(e) : null,
        };
        return (task, run);
    }

    /// <summary>
    /// What firing a job does: the run to enqueue (null when the misfire policy skips a late
    /// firing) and the next fire time (null when the schedule has no more). Missed firings collapse
    /// into one: the next time is the first one after <paramref name="now"/>. A job fired ahead of its
    /// due time (the scheduler's look-ahead) gets a run claimable from that time, and its next time
    /// is the first one after it, never the same one again.
    /// </summary>
    public static (NewRun? Run, DateTimeOffset? Next) Fire(Job job, DateTimeOffset now, IScheduleMath math)
    {
        var due = job.NextFireAt ?? now;
        var late = now - due > MisfirePolicy.Threshold;
        var run = late && job.Misfire == MisfirePolicy.Skip ? null : NewRun.For(job) with { RunAt = due };
        var next = job.Schedule is null ? null : math.NextAfter(job.Schedule, now > due ? now : due, anchor: due);
        return (run, next);
    }

    /// <summary>
    /// A new run that does again what a dead-lettered (failed) or canceled run did: same job, type,
    /// payload, queue, priority, retries, timeout and unique key, due now, with a fresh attempt count.
    /// The ended run stays as it is, history included: a task never leaves a terminal state, so its
    /// watchers and its recorded outcome do not change under them. Dependencies are not copied (they
    /// were settled for the first run); a TTL is not either, as it was relative to the first enqueue.
    /// </summary>
    /// <exception cref="RunNotRetryableException">The run is still queued or running, or it succeeded.</exception>
    public static NewRun Retry(JobRun run, TaskState status, string? title, string? createdBy)
    {
        if (run.State != JobRun.Done || status is not (TaskState.Failed or TaskState.Canceled))
        {
            throw new RunNotRetryableException(run.TaskId, run.State == JobRun.Done ? status.ToWire() : run.State);
        }
        return new NewRun
        {
            JobId = run.JobId, Type = run.Type, Payload = run.Payload, Queue = run.Queue, Priority = run.Priority,
            MaxRetries = run.MaxRetries, TimeoutSeconds = run.TimeoutSeconds, UniqueKey = run.UniqueKey,
            CreatedBy = createdBy, Title = title, RetryOf = run.TaskId,
        };
    }

    private static string Metadata(NewRun input)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartObject("job");
            if (input.JobId is not null)
            {
                w.WriteString("id", input.JobId);
            }
            w.WriteString("type", input.Type);
            w.WriteString("queue", input.Queue);
            w.WriteNumber("priority", input.Priority);
            w.WriteEndObject();
            if (input.RetryOf is not null)
            {
                w.WriteString("retryOf", input.RetryOf);
            }
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
