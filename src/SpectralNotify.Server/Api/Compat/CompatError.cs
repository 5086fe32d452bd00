using System.Buffers;
using System.Text.Json;
using SpectralNotify.Counters;

namespace SpectralNotify.Server.Api.Compat;

/// <summary>
/// An answer in the reference's oRPC error envelope (protocol §1.5):
/// <c>{"defined","code","status","message","data"?}</c>; REST sends it as the body, RPC inside
/// <c>{"json":…}</c>. Where the reference answers 500 for a client mistake (unknown task, duplicate
/// counter) this answers the fitting 4xx with the same shape; clients only test for "not 2xx".
/// </summary>
public sealed class CompatError(int status, string code, string message, bool defined = false, Action<Utf8JsonWriter>? data = null)
    : Exception(message)
{
    public int Status { get; } = status;
    public string Code { get; } = code;
    public bool Defined { get; } = defined;

    public const string MalformedMessage =
        "Malformed request. Ensure the request body is properly formatted and the 'Content-Type' header is set correctly.";

    public static CompatError Malformed() => new(400, "BAD_REQUEST", MalformedMessage);
    public static CompatError Unauthorized() => new(401, "UNAUTHORIZED", "Unauthorized");
    public static CompatError Forbidden(string message) => new(403, "FORBIDDEN", message);
    public static CompatError MissingIdempotencyKey() => new(400, "BAD_REQUEST", "Bad Request");
    public static CompatError MethodNotSupported() => new(405, "METHOD_NOT_SUPPORTED", "Method Not Supported");
    public static CompatError Internal() => new(500, "INTERNAL_SERVER_ERROR", "Internal server error");

    public static CompatError Validation(IReadOnlyList<ZodIssue> issues) =>
        new(400, "BAD_REQUEST", "Input validation failed", data: w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("issues");
            foreach (var issue in issues)
            {
                issue.Write(w);
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });

    /// <summary>
    /// The envelope for a domain outcome. Counter errors keep the reference's declared codes
    /// (<c>COUNTER_NOT_FOUND</c>, <c>COUNTER_OPERATION_FAILED</c>, <c>defined: true</c>) with a 4xx
    /// status; everything else takes the oRPC code of its status. Returns null for a real bug.
    /// </summary>
    public static CompatError? From(Exception ex, string? counterOperation = null)
    {
        switch (ex)
        {
            case CompatError e:
                return e;
            case CounterNotFoundException e:
                return new CompatError(404, "COUNTER_NOT_FOUND", "The requested counter does not exist", true,
                    w => { w.WriteStartObject(); w.WriteString("name", e.Name); w.WriteEndObject(); });
            case CounterOverflowException e when counterOperation is not null:
                return new CompatError(409, "COUNTER_OPERATION_FAILED", "Counter operation failed", true, w =>
                {
                    w.WriteStartObject();
                    w.WriteString("operation", counterOperation);
                    w.WriteString("reason", e.Message);
                    w.WriteEndObject();
                });
            case BadHttpRequestException { StatusCode: 413 }:
                return new CompatError(413, "PAYLOAD_TOO_LARGE", $"The request body exceeds the limit of {V1.Limits.MaxBodyBytes} bytes (1 MiB).");
        }
        var (status, _, detail, _) = Problems.Map(ex);
        return status == 0 ? null : new CompatError(status, CodeFor(status), detail);
    }

    /// <summary>oRPC's common error code for an HTTP status.</summary>
    public static string CodeFor(int status) => status switch
    {
        400 => "BAD_REQUEST",
        401 => "UNAUTHORIZED",
        403 => "FORBIDDEN",
        404 => "NOT_FOUND",
        405 => "METHOD_NOT_SUPPORTED",
        409 => "CONFLICT",
        412 => "PRECONDITION_FAILED",
        413 => "PAYLOAD_TOO_LARGE",
        422 => "UNPROCESSABLE_CONTENT",
        429 => "TOO_MANY_REQUESTS",
        503 => "SERVICE_UNAVAILABLE",
        _ => "INTERNAL_SERVER_ERROR",
    };

    /// <summary>The envelope object's JSON.</summary>
    public byte[] Envelope()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, Wire.ReferenceRows.Options))
        {
            w.WriteStartObject();
            w.WriteBoolean("defined", Defined);
            w.WriteString("code", Code);
            w.WriteNumber("status", Status);
            w.WriteString("message", Message);
            if (data is not null)
            {
                w.WritePropertyName("data");
                data(w);
            }
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
