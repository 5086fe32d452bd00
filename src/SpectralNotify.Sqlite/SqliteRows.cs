using System.Globalization;
using Microsoft.Data.Sqlite;
using SpectralNotify.Sessions;
using SpectralNotify.Storage;
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

    /// <summary>The row mapping shared with PostgreSQL; SQLite keeps timestamps as ISO-8601 text.</summary>
    public static readonly RowReader Rows = new((r, i) => DateTimeOffset.ParseExact(
        r.GetString(i), "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal));

    public static string? Str(SqliteDataReader r, int i) => RowReader.Str(r, i);

    public static DateTimeOffset? Time(SqliteDataReader r, int i) => Rows.Time(r, i);
}
