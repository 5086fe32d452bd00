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
    public static readonly RowReader Rows = new((r, i) => ParseTime(r.GetString(i)));

    /// <summary>
    /// Reads <c>yyyy-MM-ddTHH:mm:ss.fffZ</c> (what <see cref="Clock.ToWire"/> stores) by position.
    /// <c>ParseExact</c> with a custom format runs the general parser for every timestamp column of
    /// every row, ~3 % of the server's CPU under write load, where each mutation reads its task first.
    /// Anything else goes to <c>ParseExact</c> and fails as before.
    /// </summary>
    internal static DateTimeOffset ParseTime(string s)
    {
        var t = s.AsSpan();
        if (t.Length == 24 && t[4] == '-' && t[7] == '-' && t[10] == 'T' && t[13] == ':' && t[16] == ':' && t[19] == '.' && t[23] == 'Z'
            && Digits(t[..4], out var year) && Digits(t[5..7], out var month) && Digits(t[8..10], out var day)
            && Digits(t[11..13], out var hour) && Digits(t[14..16], out var minute) && Digits(t[17..19], out var second)
            && Digits(t[20..23], out var ms)
            && year >= 1 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month)
            && hour < 24 && minute < 60 && second < 60)
        {
            return new DateTimeOffset(year, month, day, hour, minute, second, ms, TimeSpan.Zero);
        }
        return DateTimeOffset.ParseExact(s, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
    }

    /// <summary>ASCII digits only (<c>int.TryParse</c> would also take trailing NULs).</summary>
    private static bool Digits(ReadOnlySpan<char> s, out int value)
    {
        value = 0;
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
            value = (value * 10) + (c - '0');
        }
        return true;
    }

    public static string? Str(SqliteDataReader r, int i) => RowReader.Str(r, i);

    public static DateTimeOffset? Time(SqliteDataReader r, int i) => Rows.Time(r, i);
}
