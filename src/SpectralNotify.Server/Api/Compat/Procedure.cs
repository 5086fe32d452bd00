using System.Buffers;
using System.Text.Json;
using SpectralNotify.Access;
using SpectralNotify.Counters;
using SpectralNotify.Storage;
using SpectralNotify.Tasks;
using SpectralNotify.Workflows;

namespace SpectralNotify.Server.Api.Compat;

/// <summary>
/// What a procedure touches, for the one access rule (<see cref="AccessRules"/>); <paramref name="IdField"/>
/// names the input member holding the entity's id, so a token scoped to one entity can call it.
/// </summary>
public sealed record Need(Resource Resource, Operation Operation, string? IdField = null);

/// <summary>
/// One oRPC procedure of the reference, served at <c>POST /&lt;Path&gt;</c> (REST) and
/// <c>POST /rpc/&lt;Path&gt;</c> (RPC). <see cref="Idempotent"/> marks the 12 mutations that require an
/// <c>Idempotency-Key</c> (protocol §4). A null <see cref="Need"/> is open to anyone (only <c>healthCheck</c>).
/// </summary>
public sealed record Procedure(string Path, Need? Need, bool Idempotent, Func<ProcedureCall, Task<Output>> Run);

/// <summary>A procedure's answer: its JSON, and the RPC <c>meta</c> paths of values the client should revive as Dates.</summary>
public sealed record Output(byte[] Json, IReadOnlyList<IReadOnlyList<object>>? Meta = null)
{
    public static Output Write(Action<Utf8JsonWriter> body, IReadOnlyList<IReadOnlyList<object>>? meta = null)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer, Wire.ReferenceRows.Options))
        {
            body(w);
        }
        return new Output(buffer.WrittenSpan.ToArray(), meta);
    }

    /// <summary>A JSON array of <paramref name="rows"/>, each written by <paramref name="row"/>.</summary>
    public static Output Array<T>(IEnumerable<T> rows, Action<Utf8JsonWriter, T> row) => Write(w => WriteArray(w, rows, row));

    /// <summary>
    /// The reference's Enriched…Response: <c>{"&lt;name&gt;": row, "latestHistory": [rows]}</c>, with
    /// the entity written by <paramref name="entity"/> and each history row by <paramref name="row"/>.
    /// </summary>
    public static Output Enriched<T>(string name, Action<Utf8JsonWriter> entity, IEnumerable<T> history, Action<Utf8JsonWriter, T> row) => Write(w =>
    {
        w.WriteStartObject();
        w.WritePropertyName(name);
        entity(w);
        w.WritePropertyName("latestHistory");
        WriteArray(w, history, row);
        w.WriteEndObject();
    });

    /// <summary>The reference's registry listing: <c>{"&lt;list&gt;":[{"&lt;key&gt;","createdAt","createdBy"}],"count":n}</c>.</summary>
    public static Output Registry(string list, string key, IReadOnlyList<(string Id, DateTimeOffset CreatedAt, string? CreatedBy)> items) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteStartArray(list);
        foreach (var (id, createdAt, createdBy) in items)
        {
            w.WriteStartObject();
            w.WriteString(key, id);
            w.WriteString("createdAt", Clock.ToWire(createdAt));
            // The reference records "service" for API-key callers; ours names the key, and falls back to the same.
            w.WriteString("createdBy", createdBy ?? "service");
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteNumber("count", items.Count);
        w.WriteEndObject();
    });

    private static void WriteArray<T>(Utf8JsonWriter w, IEnumerable<T> rows, Action<Utf8JsonWriter, T> row)
    {
        w.WriteStartArray();
        foreach (var r in rows)
        {
            row(w, r);
        }
        w.WriteEndArray();
    }

    /// <summary>
    /// Deletes page by page until a page comes back empty, then answers the reference's
    /// <c>{"success":true,"deleted":N}</c>. <paramref name="page"/> lists ids still present.
    /// </summary>
    public static async Task<Output> DeleteAll(Func<Task<IReadOnlyList<string>>> page, Func<string, Task<bool>> delete)
    {
        var deleted = 0;
        while (await page() is { Count: > 0 } ids)
        {
            foreach (var id in ids)
            {
                deleted += await delete(id) ? 1 : 0;
            }
        }
        return Write(w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("success", true);
            w.WriteNumber("deleted", deleted);
            w.WriteEndObject();
        });
    }

    /// <summary><c>{"success":true,"&lt;name&gt;":"&lt;value&gt;"}</c>, the reference's write acknowledgement.</summary>
    public static Output Success(string name, string value) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteBoolean("success", true);
        w.WriteString(name, value);
        w.WriteEndObject();
    });
}

/// <summary>One call of a procedure: its input, caller and services.</summary>
public sealed class ProcedureCall(HttpContext http, CompatInput input)
{
    public CompatInput Input => input;
    public HttpContext Http => http;
    public CancellationToken Ct => http.RequestAborted;

    /// <summary>The API key's name; recorded as <c>createdBy</c> (the reference records <c>service</c> for every key).</summary>
    public string? Caller => http.User.Identity?.IsAuthenticated == true ? http.User.Identity.Name : null;

    public IStore Store => http.RequestServices.GetRequiredService<IStore>();
    public TaskService Tasks => http.RequestServices.GetRequiredService<TaskService>();
    public WorkflowService Workflows => http.RequestServices.GetRequiredService<WorkflowService>();
    public CounterService Counters => http.RequestServices.GetRequiredService<CounterService>();
}
