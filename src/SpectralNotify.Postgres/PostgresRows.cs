using Npgsql;
using SpectralNotify.Storage;
using NpgsqlTypes;
using SpectralNotify.Sessions;
using SpectralNotify.Tasks;

namespace SpectralNotify.Postgres;

/// <summary>
/// Parameter binding and row mapping. Every parameter is bound with its PostgreSQL type, so a null
/// needs no cast in <c>@x IS NULL OR ...</c> filters. Timestamps are truncated to milliseconds and
/// sent as UTC timestamptz; read back they are UTC <see cref="DateTimeOffset"/>s.
/// </summary>
internal static class PostgresRows
{
    public static NpgsqlParameterCollection With(this NpgsqlParameterCollection ps, string name, string? value) =>
        ps.Typed(name, NpgsqlDbType.Text, value);

    public static NpgsqlParameterCollection With(this NpgsqlParameterCollection ps, string name, long value) =>
        ps.Typed(name, NpgsqlDbType.Bigint, value);

    public static NpgsqlParameterCollection With(this NpgsqlParameterCollection ps, string name, long? value) =>
        ps.Typed(name, NpgsqlDbType.Bigint, value);

    public static NpgsqlParameterCollection With(this NpgsqlParameterCollection ps, string name, int? value) =>
        ps.Typed(name, NpgsqlDbType.Integer, value);

    public static NpgsqlParameterCollection With(this NpgsqlParameterCollection ps, string name, int value) =>
        ps.Typed(name, NpgsqlDbType.Integer, value);

    public static NpgsqlParameterCollection With(this NpgsqlParameterCollection ps, string name, double? value) =>
        ps.Typed(name, NpgsqlDbType.Double, value);

    public static NpgsqlParameterCollection With(this NpgsqlParameterCollection ps, string name, bool? value) =>
        ps.Typed(name, NpgsqlDbType.Boolean, value);

    public static NpgsqlParameterCollection With(this NpgsqlParameterCollection ps, string name, IReadOnlyList<string>? value) =>
        ps.Typed(name, NpgsqlDbType.Array | NpgsqlDbType.Text, value?.ToArray());

    /// <summary>A PostgreSQL array of <typeparamref name="T"/> (the statement casts it, e.g. <c>@seqs::bigint[]</c>); timestamps are truncated to milliseconds.</summary>
    public static NpgsqlParameterCollection Array<T>(this NpgsqlParameterCollection ps, string name, IEnumerable<T> values)
    {
        object array = typeof(T) == typeof(DateTimeOffset?)
            ? values.Cast<DateTimeOffset?>().Select(t => t is { } v ? Clock.Truncate(v) : (DateTimeOffset?)null).ToArray()
            : values.ToArray();
        ps.Add(new NpgsqlParameter(name, array));
        return ps;
    }

    /// <summary>JSON text bound as jsonb (null as SQL NULL).</summary>
    public static NpgsqlParameterCollection WithJsonb(this NpgsqlParameterCollection ps, string name, string? json) =>
        ps.Typed(name, NpgsqlDbType.Jsonb, json);

    public static NpgsqlParameterCollection With(this NpgsqlParameterCollection ps, string name, byte[]? value) =>
        ps.Typed(name, NpgsqlDbType.Bytea, value);

    public static NpgsqlParameterCollection With(this NpgsqlParameterCollection ps, string name, DateTimeOffset? value) =>
        ps.Typed(name, NpgsqlDbType.TimestampTz, value is { } t ? Clock.Truncate(t) : null);

    public static NpgsqlParameterCollection WithTask(this NpgsqlParameterCollection ps, TaskItem t) => ps
        .With("id", t.Id).With("title", t.Title).With("description", t.Description).With("type", t.Type)
        .With("status", t.Status.ToWire()).With("progress", t.Progress).With("metadata", t.Metadata)
        .With("config", t.Config).With("workspace_path", t.WorkspacePath).With("error", t.Error)
        .With("created_by", t.CreatedBy).With("created_at", t.CreatedAt).With("updated_at", t.UpdatedAt)
        .With("started_at", t.StartedAt).With("completed_at", t.CompletedAt).With("failed_at", t.FailedAt)
        .With("canceled_at", t.CanceledAt).With("expires_at", t.ExpiresAt).With("last_seq", t.LastSeq)
        .With("version", t.Version).With("workflow_id", t.WorkflowId).With("sequence", t.Sequence);

    public static NpgsqlParameterCollection WithEvent(this NpgsqlParameterCollection ps, TaskEvent e) => ps
        .With("task_id", e.TaskId).With("seq", e.Seq).With("type", e.Type).With("kind", e.Kind)
        .With("message", e.Message).With("progress", e.Progress).With("metadata", e.Metadata)
        .With("timestamp", e.Timestamp);

    /// <summary>The row mapping shared with SQLite; Npgsql reads timestamptz as a DateTimeOffset with offset zero, i.e. UTC.</summary>
    public static readonly RowReader Rows = new((r, i) => r.GetFieldValue<DateTimeOffset>(i));

    public static string? Str(NpgsqlDataReader r, int i) => RowReader.Str(r, i);

    public static DateTimeOffset? Time(NpgsqlDataReader r, int i) => Rows.Time(r, i);

    private static NpgsqlParameterCollection Typed(this NpgsqlParameterCollection ps, string name, NpgsqlDbType type, object? value)
    {
        ps.Add(new NpgsqlParameter(name, type) { Value = value ?? DBNull.Value });
        return ps;
    }
}
