using SpectralNotify.Tasks;

namespace SpectralNotify.Jobs;

/// <summary>No job with this id (404); a soft-deleted job counts only where deleted jobs are asked for.</summary>
public sealed class JobNotFoundException(string id) : SpectralException($"Job '{id}' does not exist.")
{
    public string JobId { get; } = id;
}

/// <summary>A job with this id exists (409).</summary>
public sealed class JobAlreadyExistsException(string id) : SpectralException($"Job '{id}' already exists.")
{
    public string JobId { get; } = id;
}

/// <summary>The job changed since the version the client read (412).</summary>
public sealed class JobVersionMismatchException(string id, long expected, long actual)
    : SpectralException($"Job '{id}' is at version {actual}, not {expected}; read it again and retry.")
{
    public string JobId { get; } = id;
    public long Actual { get; } = actual;
}

/// <summary>No run (job execution) with this task id (404).</summary>
public sealed class RunNotFoundException(string taskId) : SpectralException($"Run '{taskId}' does not exist.")
{
    public string TaskId { get; } = taskId;
}

/// <summary>The caller's lease on the run is gone: it expired and the run moved on, or it finished (409).</summary>
public sealed class LeaseLostException(string taskId, string reason) : SpectralException($"The lease on run '{taskId}' is no longer held: {reason}.")
{
    public string TaskId { get; } = taskId;
}

/// <summary>A pending run with this unique key exists (409).</summary>
public sealed class RunUniqueConflictException(string key, string existing)
    : SpectralException($"A pending run with unique key '{key}' exists ('{existing}').")
{
    public string UniqueKey { get; } = key;
    public string ExistingTaskId { get; } = existing;
}

/// <summary>A request would start or end a job run's task around its run (409): a run's task changes status only through its run.</summary>
public sealed class TaskIsJobRunException(string taskId)
    : SpectralException($"Task '{taskId}' is a job run; its worker ends it with POST /api/v1/runs/{taskId}/complete or /fail and its lease token. Cancel it with POST /api/v1/tasks/{taskId}/cancel.")
{
    public string TaskId { get; } = taskId;
}

/// <summary>A retry asked for a run that has not ended without success (409): only a failed or canceled run can be retried.</summary>
public sealed class RunNotRetryableException(string taskId, string state)
    : SpectralException($"Run '{taskId}' is {state}; only a run that ended failed or canceled can be retried.")
{
    public string TaskId { get; } = taskId;
    public string State { get; } = state;
}
