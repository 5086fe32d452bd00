using System.Globalization;
using System.Text.Json;

namespace SpectralNotify.Server.Api.Compat;

/// <summary>
/// One input problem in the shape zod 4 reports it, which the reference server returns in
/// <c>data.issues</c>: the code-specific fields first, then <c>path</c> and <c>message</c>
/// (protocol §1.5).
/// </summary>
public sealed record ZodIssue(IReadOnlyList<KeyValuePair<string, object>> Head, IReadOnlyList<object> Path, string Message)
{
    public static ZodIssue InvalidType(IReadOnlyList<object> path, string expected, string received) =>
        new([new("expected", expected), new("code", "invalid_type")], path, $"Invalid input: expected {expected}, received {received}");

    /// <summary><c>z.number().int()</c> given a fraction.</summary>
    public static ZodIssue NotInteger(IReadOnlyList<object> path) =>
        new([new("expected", "int"), new("format", "safeint"), new("code", "invalid_type")], path, "Invalid input: expected int, received number");

    public static ZodIssue TooSmall(IReadOnlyList<object> path, string origin, double minimum, bool inclusive, string? message = null) =>
        new([new("origin", origin), new("code", "too_small"), new("minimum", minimum), new("inclusive", inclusive)], path,
            message ?? $"Too small: expected {origin} to {Bound(origin, inclusive ? ">=" : ">", minimum)}");

    public static ZodIssue TooBig(IReadOnlyList<object> path, string origin, double maximum, bool inclusive, string? message = null) =>
        new([new("origin", origin), new("code", "too_big"), new("maximum", maximum), new("inclusive", inclusive)], path,
            message ?? $"Too big: expected {origin} to {Bound(origin, inclusive ? "<=" : "<", maximum)}");

    public static ZodIssue InvalidValue(IReadOnlyList<object> path, IReadOnlyList<string> values) =>
        new([new("code", "invalid_value"), new("values", values)], path,
            "Invalid option: expected one of " + string.Join('|', values.Select(v => $"\"{v}\"")));

    public static ZodIssue InvalidFormat(IReadOnlyList<object> path, string format, string? pattern, string message) =>
        new(pattern is null
            ? [new("origin", "string"), new("code", "invalid_format"), new("format", format)]
            : [new("origin", "string"), new("code", "invalid_format"), new("format", format), new("pattern", pattern)], path, message);

    public static ZodIssue Custom(IReadOnlyList<object> path, string message) => new([new("code", "custom")], path, message);

    /// <summary>The name of a JSON value's type as zod words it in "received …".</summary>
    public static string Received(JsonElement? value) => value?.ValueKind switch
    {
        null or JsonValueKind.Undefined => "undefined",
        JsonValueKind.Null => "null",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Array => "array",
        _ => "object",
    };

    public void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        foreach (var (name, value) in Head)
        {
            w.WritePropertyName(name);
            WriteValue(w, value);
        }
        w.WriteStartArray("path");
        foreach (var segment in Path)
        {
            WriteValue(w, segment);
        }
        w.WriteEndArray();
        w.WriteString("message", Message);
        w.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter w, object value)
    {
        switch (value)
        {
            case string s: w.WriteStringValue(s); break;
            case int i: w.WriteNumberValue(i); break;
            case double d: w.WriteNumberValue(d); break;
            case bool b: w.WriteBooleanValue(b); break;
            case IEnumerable<string> list:
                w.WriteStartArray();
                foreach (var s in list)
                {
                    w.WriteStringValue(s);
                }
                w.WriteEndArray();
                break;
            default: throw new ArgumentOutOfRangeException(nameof(value), value.GetType().Name);
        }
    }

    private static string Bound(string origin, string op, double n)
    {
        var number = n.ToString("R", CultureInfo.InvariantCulture);
        return origin switch
        {
            "string" => $"have {op}{number} characters",
            "array" => $"have {op}{number} items",
            _ => $"be {op}{number}",
        };
    }
}
