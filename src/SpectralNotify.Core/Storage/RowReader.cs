using System.Data.Common;
using SpectralNotify.Configuration;
using SpectralNotify.Counters;
using SpectralNotify.Jobs;
using SpectralNotify.Keys;
using SpectralNotify.Sessions;
using SpectralNotify.Tasks;
using SpectralNotify.Tools;
using SpectralNotify.Workflows;

namespace SpectralNotify.Storage;

/// <summary>
/// Maps result rows to domain records for every engine. Both engines select the same columns in
/// the same order under the same query names, so only reading a timestamp differs (ISO text in
/// SQLite, <c>timestamptz</c> in PostgreSQL); each engine supplies that one function.
/// </summary>
public sealed class RowReader(Func<DbDataReader, int, DateTimeOffset> readTime)
{
    public DateTimeOffset? Time(DbDataReader r, int i) => r.IsDBNull(i) ? null : readTime(r, i);

    public static string? Str(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static double? Double(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetDouble(i);

    /// <summary>id, title, description, type, status, progress, metadata, config, workspace_path, error, created_by, created_at, updated_at, started_at, completed_at, failed_at, canceled_at, expires_at, last_seq, version, workflow_id, sequence.</summary>
    public TaskItem Task(DbDataReader r) => Task(r, 0);

    /// <summary>The task columns starting at ordinal <paramref name="o"/> (after a run's, in a joined row).</summary>
    public TaskItem Task(DbDataReader r, int o) => new()
    {
        Id = r.GetString(o),
        Title = Str(r, o + 1),
        Description = Str(r, o + 2),
        Type = Str(r, o + 3),
        Status = TaskStateNames.Parse(r.GetString(o + 4)),
        Progress = r.GetDouble(o + 5),
        Metadata = r.GetString(o + 6),
        Config = r.GetString(o + 7),
        WorkspacePath = Str(r, o + 8),
        Error = Str(r, o + 9),
        CreatedBy = Str(r, o + 10),
        CreatedAt = readTime(r, o + 11),
        UpdatedAt = readTime(r, o + 12),
        StartedAt = Time(r, o + 13),
        CompletedAt = Time(r, o + 14),
        FailedAt = Time(r, o + 15),
        CanceledAt = Time(r, o + 16),
        ExpiresAt = Time(r, o + 17),
        LastSeq = r.GetInt64(o + 18),
        Version = r.GetInt64(o + 19),
        WorkflowId = Str(r, o + 20),
        Sequence = r.IsDBNull(o + 21) ? null : r.GetInt32(o + 21),
    };

    /// <summary>A run (columns 0–21, as <see cref="Run"/>) followed by its task (columns 22–43, as <see cref="Task(DbDataReader)"/>).</summary>
    public RunRow RunRow(DbDataReader r) => new(Run(r), Task(r, 22));

    /// <summary>kind, id, deleted_at.</summary>
    public Lists.Deletion Deletion(DbDataReader r) => new(r.GetString(0), r.GetString(1), readTime(r, 2));

    /// <summary>task_id, seq, type, kind, message, progress, metadata, timestamp.</summary>
    public TaskEvent TaskEvent(DbDataReader r) => new()
    {
        TaskId = r.GetString(0),
        Seq = r.GetInt64(1),
        Type = r.GetString(2),
        Kind = r.GetString(3),
        Message = r.GetString(4),
        Progress = Double(r, 5),
        Metadata = Str(r, 6),
        Timestamp = readTime(r, 7),
    };

    /// <summary>id, client_id, user_name, connection_type, entity_type, entity_id, node_id, created_at, last_heartbeat, active, ended_at.</summary>
    public LiveSession Session(DbDataReader r) => new()
    {
        Id = r.GetString(0),
        ClientId = Str(r, 1),
        User = Str(r, 2),
        ConnectionType = r.GetString(3),
        EntityType = r.GetString(4),
        EntityId = r.GetString(5),
        NodeId = r.GetString(6),
        CreatedAt = readTime(r, 7),
        LastHeartbeat = readTime(r, 8),
        Active = r.GetBoolean(9),
        EndedAt = Time(r, 10),
    };

    /// <summary>name, value, created_at, updated_at, operation_count, created_by, last_seq.</summary>
    public Counter Counter(DbDataReader r) => new()
    {
        Name = r.GetString(0),
        Value = r.GetInt64(1),
        CreatedAt = readTime(r, 2),
        UpdatedAt = readTime(r, 3),
        OperationCount = r.GetInt64(4),
        CreatedBy = Str(r, 5),
        LastSeq = r.GetInt64(6),
    };

    /// <summary>name, seq, operation, previous_value, new_value, timestamp.</summary>
    public CounterHistoryEntry CounterEntry(DbDataReader r) => new()
    {
        Name = r.GetString(0),
        Seq = r.GetInt64(1),
        Operation = r.GetString(2),
        PreviousValue = r.GetInt64(3),
        NewValue = r.GetInt64(4),
        Timestamp = readTime(r, 5),
    };

    /// <summary>id, task_id, tool_name, arguments, status, output, error, started_at, completed_at, duration_ms, created_by.</summary>
    public ToolExecution Tool(DbDataReader r) => new()
    {
        Id = r.GetString(0),
        TaskId = r.GetString(1),
        ToolName = r.GetString(2),
        Arguments = r.GetString(3),
        Status = r.GetString(4),
        Output = Str(r, 5),
        Error = Str(r, 6),
        StartedAt = readTime(r, 7),
        CompletedAt = Time(r, 8),
        DurationMs = r.IsDBNull(9) ? null : r.GetInt64(9),
        CreatedBy = Str(r, 10),
    };

    /// <summary>key, value_type, value, description, is_secret, created_at, updated_at, updated_by, version.</summary>
    public ConfigEntry Config(DbDataReader r) => new()
    {
        Key = r.GetString(0),
        Type = r.GetString(1),
        Value = r.GetString(2),
        Description = Str(r, 3),
        IsSecret = r.GetBoolean(4),
        CreatedAt = readTime(r, 5),
        UpdatedAt = readTime(r, 6),
        UpdatedBy = Str(r, 7),
        Version = r.GetInt64(8),
    };

    /// <summary>id, name, hash, scopes (space-separated), created_at, expires_at, last_used_at, revoked_at.</summary>
    public ApiKey ApiKey(DbDataReader r) => new()
    {
        Id = r.GetString(0),
        Name = r.GetString(1),
        Hash = r.GetString(2),
        Scopes = r.GetString(3).Split(' ', StringSplitOptions.RemoveEmptyEntries),
        CreatedAt = readTime(r, 4),
        ExpiresAt = Time(r, 5),
        LastUsedAt = Time(r, 6),
        RevokedAt = Time(r, 7),
    };

    /// <summary>kid, secret, created_at, retired_at.</summary>
    public SigningKey SigningKey(DbDataReader r) => new()
    {
        Kid = r.GetString(0),
        Secret = r.GetFieldValue<byte[]>(1),
        CreatedAt = readTime(r, 2),
        RetiredAt = Time(r, 3),
    };

    /// <summary>id, status, overall_progress, expected_phase_count, completed_phase_count, active_phase_key, all_phases_done, metadata, created_by, created_at, updated_at, completed_at, failed_at, canceled_at, last_seq, version.</summary>
    public Workflow Workflow(DbDataReader r) => new()
    {
        Id = r.GetString(0),
        Status = TaskStateNames.Parse(r.GetString(1)),
        OverallProgress = r.GetInt32(2),
        ExpectedPhaseCount = r.GetInt32(3),
        CompletedPhaseCount = r.GetInt32(4),
        ActivePhaseKey = Str(r, 5),
        AllPhasesDone = r.GetBoolean(6),
        Metadata = r.GetString(7),
        CreatedBy = Str(r, 8),
        CreatedAt = readTime(r, 9),
        UpdatedAt = readTime(r, 10),
        CompletedAt = Time(r, 11),
        FailedAt = Time(r, 12),
        CanceledAt = Time(r, 13),
        LastSeq = r.GetInt64(14),
        Version = r.GetInt64(15),
    };

    /// <summary>phase_key, label, weight, status, progress, phase_order, parent_phase_key, depth, started_at, updated_at, completed_at.</summary>
    public WorkflowPhase Phase(DbDataReader r) => new()
    {
        Key = r.GetString(0),
        Label = r.GetString(1),
        Weight = r.GetDouble(2),
        Status = TaskStateNames.Parse(r.GetString(3)),
        Progress = r.GetDouble(4),
        Order = r.GetInt32(5),
        ParentPhaseKey = Str(r, 6),
        Depth = r.GetInt32(7),
        StartedAt = Time(r, 8),
        UpdatedAt = Time(r, 9),
        CompletedAt = Time(r, 10),
    };

    /// <summary>workflow_id, seq, type, phase_key, message, progress, metadata, timestamp.</summary>
    public WorkflowEvent WorkflowEvent(DbDataReader r) => new()
    {
        WorkflowId = r.GetString(0),
        Seq = r.GetInt64(1),
        Type = r.GetString(2),
        PhaseKey = Str(r, 3),
        Message = r.GetString(4),
        Progress = Double(r, 5),
        Metadata = Str(r, 6),
        Timestamp = readTime(r, 7),
    };

    /// <summary>id, type, payload, queue, priority, max_retries, timeout_seconds, schedule, misfire, unique_key, state, created_by, created_at, updated_at, deleted_at, version, next_fire_at.</summary>
    public Job Job(DbDataReader r) => new()
    {
        Id = r.GetString(0),
        Type = r.GetString(1),
        Payload = r.GetString(2),
        Queue = r.GetString(3),
        Priority = r.GetInt32(4),
        MaxRetries = r.GetInt32(5),
        TimeoutSeconds = r.IsDBNull(6) ? null : r.GetInt32(6),
        Schedule = JobScheduleJson.Parse(Str(r, 7)),
        Misfire = r.GetString(8),
        UniqueKey = Str(r, 9),
        State = r.GetString(10),
        CreatedBy = Str(r, 11),
        CreatedAt = readTime(r, 12),
        UpdatedAt = readTime(r, 13),
        DeletedAt = Time(r, 14),
        Version = r.GetInt64(15),
        NextFireAt = Time(r, 16),
    };

    /// <summary>A run (columns 0–21, as <see cref="Run"/>) followed by its task's status.</summary>
    public (JobRun Run, TaskState Status) RunWithStatus(DbDataReader r) => (Run(r), TaskStateNames.Parse(r.GetString(22)));

    /// <summary>task_id, job_id, type, queue, priority, payload, attempt, max_retries, timeout_seconds, run_at, scheduled_at, state, worker_id, lease_token, lease_expires_at, deadline, cancel_requested, result, unique_key, created_at, expires_at, blocked.</summary>
    public JobRun Run(DbDataReader r) => new()
    {
        TaskId = r.GetString(0),
        JobId = Str(r, 1),
        Type = r.GetString(2),
        Queue = r.GetString(3),
        Priority = r.GetInt32(4),
        Payload = r.GetString(5),
        Attempt = r.GetInt32(6),
        MaxRetries = r.GetInt32(7),
        TimeoutSeconds = r.IsDBNull(8) ? null : r.GetInt32(8),
        RunAt = readTime(r, 9),
        ScheduledAt = readTime(r, 10),
        State = r.GetString(11),
        WorkerId = Str(r, 12),
        LeaseToken = Str(r, 13),
        LeaseExpiresAt = Time(r, 14),
        Deadline = Time(r, 15),
        CancelRequested = r.GetBoolean(16),
        Result = Str(r, 17),
        UniqueKey = Str(r, 18),
        CreatedAt = readTime(r, 19),
        ExpiresAt = Time(r, 20),
        Blocked = r.GetInt32(21),
    };
}
