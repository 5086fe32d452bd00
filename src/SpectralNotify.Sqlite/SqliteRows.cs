using System.Globalization;
using Microsoft.Data.Sqlite;
using SpectralNotify.Sessions;
using SpectralNotify.Tasks;

namespace SpectralNotify.Sqlite;

/// <summary>Parameter binding and row mapping. Timestamps are stored as ISO-8601 UTC text with milliseconds.</summary>
internal static class SqliteRows
{
    public static SqliteCommand With(this SqliteCommand cmd, string name, object? value)
    {
        cmd.Parameters.AddWithValue(name, value switch
        {
            null => DBNull.Value,
            DateTimeOffset t => Clock.ToWire(t),
            bool b => b ? 1 : 0,
            _ => value,
        });
        return cmd;
    }

    public static SqliteCommand WithTask(this SqliteCommand cmd, TaskItem t) => cmd
        .With("@id", t.Id).With("@title", t.Title).With("@description", t.Description).With("@type", t.Type)
        .With("@status", t.Status.ToWire()).With("@progress", t.Progress).With("@metadata", t.Metadata)
        .With("@config", t.Config).With("@workspace_path", t.WorkspacePath).With("@error", t.Error)
        .With("@created_by", t.CreatedBy).With("@created_at", t.CreatedAt).With("@updated_at", t.UpdatedAt)
        .With("@started_at", t.StartedAt).With("@completed_at", t.CompletedAt).With("@failed_at", t.FailedAt)
        .With("@canceled_at", t.CanceledAt).With("@expires_at", t.ExpiresAt).With("@last_seq", t.LastSeq)
        .With("@version", t.Version).With("@workflow_id", t.WorkflowId).With("@sequence", t.Sequence);

    public static SqliteCommand WithEvent(this SqliteCommand cmd, TaskEvent e) => cmd
        .With("@task_id", e.TaskId).With("@seq", e.Seq).With("@type", e.Type).With("@kind", e.Kind)
        .With("@message", e.Message).With("@progress", e.Progress).With("@metadata", e.Metadata)
        .With("@timestamp", e.Timestamp);

    public static TaskItem ReadTask(SqliteDataReader r) => new()
    {
        Id = r.GetString(0),
        Title = Str(r, 1),
        Description = Str(r, 2),
        Type = Str(r, 3),
        Status = TaskStateNames.Parse(r.GetString(4)),
        Progress = r.GetDouble(5),
        Metadata = r.GetString(6),
        Config = r.GetString(7),
        WorkspacePath = Str(r, 8),
        Error = Str(r, 9),
        CreatedBy = Str(r, 10),
        CreatedAt = Time(r, 11)!.Value,
        UpdatedAt = Time(r, 12)!.Value,
        StartedAt = Time(r, 13),
        CompletedAt = Time(r, 14),
        FailedAt = Time(r, 15),
        CanceledAt = Time(r, 16),
        ExpiresAt = Time(r, 17),
        LastSeq = r.GetInt64(18),
        Version = r.GetInt64(19),
        WorkflowId = Str(r, 20),
        Sequence = r.IsDBNull(21) ? null : r.GetInt32(21),
    };

    public static TaskEvent ReadEvent(SqliteDataReader r) => new()
    {
        TaskId = r.GetString(0),
        Seq = r.GetInt64(1),
        Type = r.GetString(2),
        Kind = r.GetString(3),
        Message = r.GetString(4),
        Progress = r.IsDBNull(5) ? null : r.GetDouble(5),
        Metadata = Str(r, 6),
        Timestamp = Time(r, 7)!.Value,
    };

    public static LiveSession ReadSession(SqliteDataReader r) => new()
    {
        Id = r.GetString(0),
        ClientId = Str(r, 1),
        User = Str(r, 2),
        ConnectionType = r.GetString(3),
        EntityType = r.GetString(4),
        EntityId = r.GetString(5),
        NodeId = r.GetString(6),
        CreatedAt = Time(r, 7)!.Value,
        LastHeartbeat = Time(r, 8)!.Value,
        Active = r.GetInt64(9) != 0,
        EndedAt = Time(r, 10),
    };

    public static string? Str(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    public static DateTimeOffset? Time(SqliteDataReader r, int i) => r.IsDBNull(i)
        ? null
        : DateTimeOffset.ParseExact(r.GetString(i), "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
