using System.Text;

namespace SpectralNotify.Tests.Fuzz;

/// <summary>Raw bytes spliced into a request (a JSON token, a key or a whole body), named for failure reports.</summary>
public sealed record Edge(string Label, byte[] Raw)
{
    public static Edge Json(string label, string rawJson) => new(label, Encoding.UTF8.GetBytes(rawJson));

    public override string ToString() => Label;
}

/// <summary>
/// The values the fuzz puts where a request expects something ordinary: everything the reliability
/// audit's sweep used (lone surrogates, NUL, control characters, extreme numbers, huge strings, deep
/// nesting, wrong types, null items, invalid UTF-8), as JSON values, keys, path ids, query values and headers.
/// </summary>
public static class EdgeValues
{
    private static string Nest(string open, string leaf, string close, int depth) =>
        string.Concat(Enumerable.Repeat(open, depth)) + leaf + string.Concat(Enumerable.Repeat(close, depth));

    private static Edge Bytes(string label, params byte[] raw) => new(label, raw);

    public static readonly IReadOnlyList<Edge> Values =
    [
        Edge.Json("lone high surrogate", "\"\\ud800\""),
        Edge.Json("lone low surrogate", "\"\\udc00\""),
        Edge.Json("surrogate inside text", "\"a\\ud800b\""),
        Edge.Json("swapped surrogate pair", "\"\\udc00\\ud800\""),
        Edge.Json("NUL", "\"\\u0000\""),
        Edge.Json("NUL inside text", "\"a\\u0000b\""),
        Edge.Json("control characters", "\"\\u0001\\u001f\\t\\n\\u007f\""),
        Edge.Json("empty string", "\"\""),
        Edge.Json("blank string", "\"   \""),
        Edge.Json("accented", "\"rapport-é\""),
        Edge.Json("emoji", "\"🚀🔥\""),
        Edge.Json("BOM and line separator", "\"\\ufeff\\u2028\""),
        Edge.Json("slash and dots", "\"../a/b\""),
        Edge.Json("dot-dot", "\"..\""),
        Edge.Json("number as string", "\"42\""),
        Edge.Json("NaN as string", "\"NaN\""),
        Edge.Json("bad date", "\"2024-13-45T99:99:99Z\""),
        Edge.Json("max date", "\"9999-12-31T23:59:59.9999999+00:00\""),
        Edge.Json("min date", "\"0001-01-01T00:00:00-14:00\""),
        Edge.Json("9 KB string", "\"" + new string('x', 9 * 1024) + "\""),
        Edge.Json("300 KB string", "\"" + new string('y', 300 * 1024) + "\""),
        Edge.Json("zero", "0"),
        Edge.Json("negative zero", "-0"),
        Edge.Json("minus one", "-1"),
        Edge.Json("one", "1"),
        Edge.Json("fraction", "1.5"),
        Edge.Json("1e309", "1e309"),
        Edge.Json("-1e309", "-1e309"),
        Edge.Json("1e-400", "1e-400"),
        Edge.Json("huge exponent", "1e99999999999"),
        Edge.Json("2^31", "2147483648"),
        Edge.Json("-2^31-1", "-2147483649"),
        Edge.Json("2^53+1", "9007199254740993"),
        Edge.Json("2^63-1", "9223372036854775807"),
        Edge.Json("2^63", "9223372036854775808"),
        Edge.Json("-2^63-1", "-9223372036854775809"),
        Edge.Json("2^64", "18446744073709551616"),
        Edge.Json("1e308", "1e308"),
        Edge.Json("101", "101"),
        Edge.Json("null", "null"),
        Edge.Json("true", "true"),
        Edge.Json("false", "false"),
        Edge.Json("empty array", "[]"),
        Edge.Json("array of null", "[null]"),
        Edge.Json("mixed array", "[1,\"a\",null,{},[]]"),
        Edge.Json("empty object", "{}"),
        Edge.Json("object with surrogate key", "{\"\\ud800\":1}"),
        Edge.Json("object with NUL key", "{\"\\u0000\":\"\\u0000\"}"),
        Edge.Json("object of nulls", "{\"a\":null,\"b\":[null]}"),
        Edge.Json("depth 70", Nest("[", "1", "]", 70)),
        Edge.Json("depth 2000", Nest("{\"a\":", "1", "}", 2000)),
        Bytes("invalid UTF-8 FF FE", 0x22, 0xFF, 0xFE, 0x22),
        Bytes("overlong NUL C0 80", 0x22, 0xC0, 0x80, 0x22),
        Bytes("CESU surrogate ED A0 80", 0x22, 0xED, 0xA0, 0x80, 0x22),
        Bytes("raw NUL byte in string", 0x22, 0x61, 0x00, 0x62, 0x22),
        Bytes("raw control byte in string", 0x22, 0x01, 0x22),
        Bytes("truncated", 0x22, 0x61),
    ];

    public static readonly IReadOnlyList<Edge> Keys =
    [
        Edge.Json("lone surrogate key", "\"\\ud800\""),
        Edge.Json("low surrogate key", "\"\\udfff\""),
        Edge.Json("NUL key", "\"\\u0000\""),
        Edge.Json("empty key", "\"\""),
        Edge.Json("emoji key", "\"🚀\""),
        Edge.Json("9 KB key", "\"" + new string('k', 9 * 1024) + "\""),
        Bytes("invalid UTF-8 key", 0x22, 0xFF, 0x22),
    ];

    /// <summary>Path segments as sent on the wire (already percent-encoded where needed).</summary>
    public static readonly IReadOnlyList<string> PathIds =
    [
        "%00", "a%00b", "%ED%A0%80", "%FF", "%C0%80", "%F0%9F%9A%80", "rapport-%C3%A9", "%E2%80%A8", "%EF%BB%BF",
        ".", "..", "%2E%2E", "%2F", "a%2Fb", "%20", "%09", "%7F", "%01", "%25", "%22%27%3C%3E", "-1", "null",
        new string('i', 300), new string('j', 9 * 1024), "%u0000",
    ];

    public static readonly IReadOnlyList<string> QueryNames =
        ["after", "limit", "cursor", "status", "q", "snapshot", "clientId", "active", "count", "state", "type", "queue", "jobId", "from"];

    public static readonly IReadOnlyList<string> QueryValues =
    [
        "%00", "a%00b", "%ED%A0%80", "%FF", "%F0%9F%9A%80", "", "-1", "0", "1e309", "NaN", "99999999999999999999",
        "9223372036854775807", "true", "maybe", "%22", new string('q', 9 * 1024), "pending", "in-progress", "eyJ9", "%2B%2F%3D",
    ];

    public static readonly IReadOnlyList<(string Name, string Value)> Headers =
    [
        ("If-Match", ""), ("If-Match", "*"), ("If-Match", "\"1\""), ("If-Match", "W/\"1\""), ("If-Match", "garbage"),
        ("If-Match", "\"99999999999999999999\""), ("If-Match", "\"-1\""), ("If-Match", "\"1\", \"2\""), ("If-Match", "\"é\""),
        ("Idempotency-Key", ""), ("Idempotency-Key", new string('k', 300)), ("Idempotency-Key", new string('k', 10 * 1024)),
        ("Idempotency-Key", "é-clé"), ("Idempotency-Key", " padded "), ("Idempotency-Key", "fixed-key"),
        ("Last-Event-ID", "-1"), ("Last-Event-ID", "abc"), ("Last-Event-ID", "99999999999999999999"),
        ("Accept", "text/event-stream"), ("Accept", "application/xml"), ("Content-Encoding", "gzip"),
    ];

    public static readonly IReadOnlyList<string?> ContentTypes =
    [
        null, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=utf-16",
        "application/json-patch+json", "application/xml", "*/*", "application/json; charset=latin1", "garbage",
    ];

    /// <summary>Whole bodies that replace the request's own.</summary>
    public static readonly IReadOnlyList<Edge> Bodies =
    [
        Edge.Json("empty body", ""),
        Edge.Json("whitespace body", "  \n"),
        Edge.Json("null body", "null"),
        Edge.Json("array body", "[]"),
        Edge.Json("string body", "\"x\""),
        Edge.Json("number body", "1e309"),
        Edge.Json("surrogate key body", "{\"\\ud800\":1}"),
        Edge.Json("duplicate keys", "{\"id\":\"a\",\"id\":\"b\",\"name\":\"a\",\"name\":\"b\"}"),
        Edge.Json("depth 70 body", Nest("{\"a\":", "1", "}", 70)),
        Edge.Json("depth 5000 body", Nest("[", "1", "]", 5000)),
        Edge.Json("truncated body", "{\"id\":\"a"),
        Edge.Json("trailing garbage", "{} x"),
        Bytes("BOM then object", 0xEF, 0xBB, 0xBF, 0x7B, 0x7D),
        Bytes("UTF-16 object", 0xFF, 0xFE, 0x7B, 0x00, 0x7D, 0x00),
        Bytes("invalid UTF-8 body", 0xFF, 0xFE, 0xFD),
        Bytes("raw NUL body", 0x7B, 0x00, 0x7D),
        Edge.Json("1.1 MiB body", "{\"a\":\"" + new string('z', 1_100_000) + "\"}"),
    ];

    /// <summary>A random JSON value made from <paramref name="seed"/>: keys the routes read, with ordinary and edge values.</summary>
    public static Edge RandomJson(int seed)
    {
        var random = new Random(seed);
        var text = new List<byte>();
        Write(random, text, 0);
        return new Edge($"random JSON #{seed}", [.. text]);
    }

    private static readonly string[] RandomKeys =
        ["id", "taskId", "workflowId", "name", "key", "status", "progress", "message", "metadata", "phases", "runs", "operations",
         "op", "type", "value", "amount", "schedule", "queue", "leaseToken", "event", "json", "error", "tags", "author"];

    private static void Write(Random random, List<byte> text, int depth)
    {
        var kind = random.Next(depth > 3 ? 3 : 5);
        switch (kind)
        {
            case 0:
                text.AddRange(Values[random.Next(Values.Count)] is { Raw.Length: < 10_000 } e ? e.Raw : "1"u8.ToArray());
                break;
            case 1:
                text.AddRange(Encoding.UTF8.GetBytes($"\"{RandomKeys[random.Next(RandomKeys.Length)]}\""));
                break;
            case 2:
                text.AddRange(Encoding.UTF8.GetBytes(random.Next(-5, 105).ToString(System.Globalization.CultureInfo.InvariantCulture)));
                break;
            case 3:
                text.Add((byte)'[');
                for (var i = random.Next(4); i > 0; i--)
                {
                    Write(random, text, depth + 1);
                    text.Add((byte)(i > 1 ? ',' : ' '));
                }
                text.Add((byte)']');
                break;
            default:
                text.Add((byte)'{');
                for (var i = random.Next(5); i > 0; i--)
                {
                    text.AddRange(Encoding.UTF8.GetBytes($"\"{RandomKeys[random.Next(RandomKeys.Length)]}\":"));
                    Write(random, text, depth + 1);
                    if (i > 1)
                    {
                        text.Add((byte)',');
                    }
                }
                text.Add((byte)'}');
                break;
        }
    }
}
