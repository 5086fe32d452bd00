using System.Buffers;
using System.Text;
using System.Text.Json;
using SpectralNotify.Access;
using SpectralNotify.Idempotency;
using SpectralNotify.Server.Api.Idempotency;
using SpectralNotify.Server.Auth;

namespace SpectralNotify.Server.Api.Compat;

/// <summary>
/// Runs one procedure call in the reference's order (protocol §1.6): decode the body (400 when it
/// cannot be read, before auth; that includes text no field could read, see <see cref="JsonText"/>) → authorize → idempotency (a replay skips validation and the
/// handler) → validate and run → encode, as the raw output (REST) or inside <c>{"json":…}</c> (RPC).
/// </summary>
public sealed class CompatHandler(CompatIdempotency idempotency, HttpAccess access, TimeProvider time, ILogger<CompatHandler> log)
{
    public async Task HandleAsync(HttpContext http, Procedure procedure, bool rpc)
    {
        try
        {
            var input = await DecodeAsync(http.Request, rpc);
            await AuthorizeAsync(http, procedure, input);
            if (!procedure.Idempotent)
            {
                var output = await procedure.Run(new ProcedureCall(http, new CompatInput(input)));
                await WriteAsync(http, 200, rpc, output.Json, output.Meta);
                return;
            }
            await RunIdempotentAsync(http, procedure, rpc, input);
        }
        catch (Exception ex) when (!http.Response.HasStarted && !http.RequestAborted.IsCancellationRequested)
        {
            var error = CompatError.From(ex, procedure.Path.StartsWith("counter/", StringComparison.Ordinal) ? procedure.Path["counter/".Length..] : null);
            if (error is null)
            {
                log.LogError(ex, "Procedure {Procedure} failed", procedure.Path);
                error = CompatError.Internal();
            }
            if (error.Status == 503)
            {
                http.Response.Headers.RetryAfter = Problems.RetryAfterSeconds;
            }
            await WriteAsync(http, error.Status, rpc, error.Envelope(), null);
        }
    }

    private async Task RunIdempotentAsync(HttpContext http, Procedure procedure, bool rpc, JsonElement? input)
    {
        var key = http.Request.Headers["Idempotency-Key"].ToString();
        if (key.Length == 0)
        {
            throw CompatError.MissingIdempotencyKey();
        }
        if (key.Length > V1.Limits.MaxIdempotencyKeyLength)
        {
            throw new CompatError(400, "BAD_REQUEST", $"Idempotency-Key must be at most {V1.Limits.MaxIdempotencyKeyLength} characters.");
        }
        var scope = CompatIdempotency.Scope(procedure.Path, http.User.CacheScope());
        var claim = await idempotency.BeginAsync(scope, key, http.RequestAborted);
        if (claim.Outcome == IdempotencyOutcome.Completed)
        {
            await WriteAsync(http, 200, rpc, Annotate(claim.Body ?? [], key, claim.CreatedAt), null);
            return;
        }
        Output output;
        try
        {
            output = await procedure.Run(new ProcedureCall(http, new CompatInput(input)));
        }
        catch (SpectralNotify.Storage.StoreUnavailableException unknown) when (unknown.OutcomeUnknown)
        {
            throw; // the write may have been applied: the key stays claimed, so a retry cannot apply it twice
        }
        catch
        {
            await TryAsync(() => idempotency.ReleaseAsync(scope, key), "release", key);
            throw;
        }
        // The write has committed. If its answer cannot be stored (the database just went away), the
        // client still gets the answer, and the claim stays taken: a retry is refused as in progress
        // instead of applying the write a second time.
        if (!await TryAsync(() => idempotency.CompleteAsync(scope, key, output.Json), "store the answer of", key))
        {
            _ = IdempotencyRetry.StoreLaterAsync(() => idempotency.CompleteAsync(scope, key, output.Json), time, log, key);
        }
        await WriteAsync(http, 200, rpc, Annotate(output.Json, key, null), null);
    }

    private async Task<bool> TryAsync(Func<Task> step, string what, string key)
    {
        try
        {
            await step();
            return true;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            log.LogWarning(ex, "Could not {What} Idempotency-Key {Key}", what, key);
            return false;
        }
    }

    /// <summary>Appends <c>"__idempotency":{cached, cachedAt?, key}</c> as the last key of the output object.</summary>
    public static byte[] Annotate(byte[] output, string key, DateTimeOffset? cachedAt)
    {
        var annotation = Output.Write(w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("cached", cachedAt is not null);
            if (cachedAt is { } at)
            {
                w.WriteString("cachedAt", Clock.ToWire(at));
            }
            w.WriteString("key", key.Length > 8 ? key[..8] : key);
            w.WriteEndObject();
        }).Json;
        using var result = new MemoryStream(output.Length + annotation.Length + 20);
        result.Write(output, 0, output.Length - 1);
        result.Write(output.Length > 2 ? ",\"__idempotency\":"u8 : "\"__idempotency\":"u8);
        result.Write(annotation);
        result.WriteByte((byte)'}');
        return result.ToArray();
    }

    /// <summary>
    /// The body as the procedure's input: JSON (an empty body is no input), the <c>json</c> member of
    /// the RPC envelope, or the raw text for a non-JSON content type.
    /// </summary>
    private static async Task<JsonElement?> DecodeAsync(HttpRequest request, bool rpc)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        var bytes = buffer.ToArray();
        var type = request.ContentType ?? "";
        if (type.Length > 0 && !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return bytes.Length == 0 ? null : JsonSerializer.SerializeToElement(Encoding.UTF8.GetString(bytes));
        }
        if (bytes.Length == 0 || bytes.All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
        {
            return null;
        }
        JsonElement body;
        try
        {
            using var doc = JsonDocument.Parse(bytes);
            body = doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw CompatError.Malformed();
        }
        if (JsonText.FindUnreadable(body) is { } path)
        {
            // Like malformed JSON, before auth: no field of this body can be read safely. Paths are the input's, as zod reports them.
            throw CompatError.Validation([ZodIssue.Custom(rpc && path is ["json", ..] ? path.Skip(1).ToList() : path, $"Invalid input: the text {JsonText.Rule}")]);
        }
        if (!rpc)
        {
            return body;
        }
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw CompatError.Malformed();
        }
        return body.TryGetProperty("json", out var json) ? json : null;
    }

    /// <summary>The same rule as the v1 routes (<see cref="AccessRules"/>), answered in the reference's envelope.</summary>
    private async Task AuthorizeAsync(HttpContext http, Procedure procedure, JsonElement? input)
    {
        if (procedure.Need is not { } need)
        {
            return;
        }
        // Only a token scoped to one entity needs the id; the procedure itself validates it afterwards.
        var id = http.User.ToCaller().Grants.Count > 0 && need.IdField is not null ? StringMember(input, need.IdField) : null;
        switch (await access.DecideAsync(http, need.Resource, need.Operation, id))
        {
            case Decision.Allow:
                return;
            case Decision.Unauthenticated:
                throw CompatError.Unauthorized();
            default:
                var level = AccessRules.Needs(need.Resource, need.Operation).ToString().ToLowerInvariant();
                throw CompatError.Forbidden($"{procedure.Path} needs an API key with the {level} scope.");
        }
    }

    /// <summary>A top-level string member; the text was checked readable when the body was decoded.</summary>
    private static string? StringMember(JsonElement? input, string name) =>
        input is { ValueKind: JsonValueKind.Object } body && body.TryGetProperty(name, out var value)
            && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static async Task WriteAsync(HttpContext http, int status, bool rpc, byte[] json, IReadOnlyList<IReadOnlyList<object>>? meta)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        if (!rpc)
        {
            await http.Response.Body.WriteAsync(json, http.RequestAborted);
            return;
        }
        var buffer = new ArrayBufferWriter<byte>(json.Length + 64);
        using (var w = new Utf8JsonWriter(buffer, Wire.ReferenceRows.Options))
        {
            w.WriteStartObject();
            w.WritePropertyName("json");
            w.WriteRawValue(json, skipInputValidation: true);
            if (meta is { Count: > 0 })
            {
                w.WriteStartArray("meta");
                foreach (var path in meta)
                {
                    w.WriteStartArray();
                    foreach (var segment in path)
                    {
                        if (segment is int i) { w.WriteNumberValue(i); } else { w.WriteStringValue((string)segment); }
                    }
                    w.WriteEndArray();
                }
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }
        await http.Response.Body.WriteAsync(buffer.WrittenMemory, http.RequestAborted);
    }
}
