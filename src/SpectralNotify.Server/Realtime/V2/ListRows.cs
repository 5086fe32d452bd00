using System.Text.Json;
using SpectralNotify.Lists;
using SpectralNotify.Server.Api.V1.Contracts;

namespace SpectralNotify.Server.Realtime.V2;

/// <summary>The REST shape of a list row (a task, a run, a workflow without its phases) and its version.</summary>
public static class ListRows
{
    public static byte[] Json(ListRow row, JsonSerializerOptions json) => row.Kind switch
    {
        ListKind.Tasks => JsonSerializer.SerializeToUtf8Bytes(TaskDto.From(row.Task!), json),
        ListKind.Runs => JsonSerializer.SerializeToUtf8Bytes(RunDto.From(row.Run!, row.Task), json),
        _ => JsonSerializer.SerializeToUtf8Bytes(WorkflowDto.From(row.Workflow!, null), json),
    };

    /// <summary>Grows with every change of the row (its last seq): an older announcement never overwrites a newer one.</summary>
    public static long Version(ListRow row) => row.Workflow?.LastSeq ?? row.Task!.LastSeq;

    public static byte[] Upsert(byte[] rowJson, string cursor) => LiveMessages.Write(w =>
    {
        w.WriteString("type", "upsert");
        w.WritePropertyName("row");
        w.WriteRawValue(rowJson, skipInputValidation: true);
        w.WriteString("cursor", cursor);
    });

    public static byte[] Remove(string rowId, string reason, string cursor) => LiveMessages.Write(w =>
    {
        w.WriteString("type", "remove");
        w.WriteString("rowId", rowId);
        w.WriteString("reason", reason);
        w.WriteString("cursor", cursor);
    });

    public static byte[] Snapshot(IEnumerable<byte[]> rows, string cursor) => LiveMessages.Write(w =>
    {
        w.WriteString("type", "snapshot");
        w.WriteStartArray("rows");
        foreach (var r in rows)
        {
            w.WriteRawValue(r, skipInputValidation: true);
        }
        w.WriteEndArray();
        w.WriteString("cursor", cursor);
    });

    public static byte[] UpToDate(string cursor) => LiveMessages.Write(w =>
    {
        w.WriteString("type", "up-to-date");
        w.WriteString("cursor", cursor);
    });

    public static byte[] MustRefetch(string reason) => LiveMessages.Write(w =>
    {
        w.WriteString("type", "must-refetch");
        w.WriteString("reason", reason);
    });
}

/// <summary>One changed row on its way to every list of its kind; its JSON is encoded once, when the first list needs it.</summary>
public sealed class ListChange(ListRow row, JsonSerializerOptions json)
{
    private byte[]? _json;

    public ListRow Row => row;
    public byte[] Json => _json ??= ListRows.Json(row, json);
}
