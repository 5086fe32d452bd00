using SpectralNotify.Jobs;

namespace SpectralNotify.Storage;

/// <summary>Job definitions and their schedules. Part of <see cref="IStore"/>.</summary>
public interface IJobStore
{
    /// <summary>Inserts a job, and with <paramref name="run"/> its first run, in one transaction.</summary>
    /// <exception cref="JobAlreadyExistsException"/>
    Task<(Job Job, RunChange? Run)> JobCreateAsync(Job job, NewRun? run, CancellationToken ct);

    /// <summary>
    /// Fires up to <c>Limit</c> active jobs whose stored next fire time has come: each gets a run
    /// (unless its misfire policy skips a late firing, or a pending run holds its unique key) and its
    /// next fire time, in one transaction, so no firing is lost or doubled across restarts and nodes.
    /// A job that cannot be fired (its schedule cannot be evaluated) is skipped and reported.
    /// </summary>
    Task<SweepResult> JobFireDueAsync(SweepParams p, IScheduleMath math, CancellationToken ct);

    /// <summary>The earliest stored next fire time of an active, undeleted job (due or not); null when no job is scheduled.</summary>
    Task<DateTimeOffset?> JobNextFireAtAsync(CancellationToken ct);

    /// <summary>The job, soft-deleted or not; null when there is none.</summary>
    Task<Job?> JobGetAsync(string id, CancellationToken ct);

    Task<JobPage> JobListAsync(JobListParams p, CancellationToken ct);

    /// <summary>Replaces the job if its version is still <paramref name="expectedVersion"/>; the stored version becomes <c>expectedVersion + 1</c>.</summary>
    /// <exception cref="JobNotFoundException"/>
    /// <exception cref="JobVersionMismatchException"/>
    Task<Job> JobUpdateAsync(Job job, long expectedVersion, CancellationToken ct);
}
