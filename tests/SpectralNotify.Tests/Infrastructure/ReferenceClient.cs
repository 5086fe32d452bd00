using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SpectralNotify.Tests.Infrastructure;

/// <summary>
/// Calls the compatible surface exactly as the reference's <c>@spectralnotify/client</c> does
/// (protocol §4.2, §9): always POST with the body as written, and for write endpoints the API key
/// plus the deterministic <c>Idempotency-Key</c> = hex SHA-256 of
/// <c>JSON.stringify({path, body: sortKeysDeep(body)})</c>.
/// </summary>
public sealed class ReferenceClient(HttpClient http, string apiKey)
{
    /// <summary>
    /// The setting a deployment serving the reference's clients uses: they send no key on reads
    /// (and its web app lists with the public <c>getAll</c>), see docs/compatibility.md.
    /// </summary>
    public static Dictionary<string, string?> Deployment => new() { ["Auth:AnonymousReads"] = "All" };

    private static readonly string[] WriteMarkers =
        ["create", "update", "complete", "fail", "cancel", "updatePhaseProgress", "completePhase", "updateProgress"];

    public async Task<HttpResponseMessage> PostAsync(string path, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = HttpJson.Body(body) };
        if (WriteMarkers.Any(path.Contains))
        {
            request.Headers.Add("X-API-Key", apiKey);
            request.Headers.Add("Idempotency-Key", KeyFor(path, body));
        }
        return await http.SendAsync(request);
    }

    /// <summary>The client's key for a call: the signature string's SHA-256 in lowercase hex.</summary>
    public static string KeyFor(string path, string body) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Signature(path, body))));

    /// <summary><c>JSON.stringify({ path, body: sortKeysDeep(body) })</c>.</summary>
    public static string Signature(string path, string body)
    {
        var sb = new StringBuilder();
        sb.Append("{\"path\":");
        Quote(sb, path);
        sb.Append(",\"body\":");
        Stringify(sb, JsonNode.Parse(body));
        sb.Append('}');
        return sb.ToString();
    }

    /// <summary>JavaScript's <c>JSON.stringify</c> with every object's keys sorted (ordinal, as <c>Array.prototype.sort</c> on ASCII keys).</summary>
    private static void Stringify(StringBuilder sb, JsonNode? node)
    {
        switch (node)
        {
            case null:
                sb.Append("null");
                break;
            case JsonObject o:
                sb.Append('{');
                var first = true;
                foreach (var (k, v) in o.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (!first) { sb.Append(','); }
                    first = false;
                    Quote(sb, k);
                    sb.Append(':');
                    Stringify(sb, v);
                }
                sb.Append('}');
                break;
            case JsonArray a:
                sb.Append('[');
                for (var i = 0; i < a.Count; i++)
                {
                    if (i > 0) { sb.Append(','); }
                    Stringify(sb, a[i]);
                }
                sb.Append(']');
                break;
            default:
                var e = JsonSerializer.SerializeToElement(node);
                switch (e.ValueKind)
                {
                    case JsonValueKind.String: Quote(sb, e.GetString()!); break;
                    case JsonValueKind.Number:
                        var d = e.GetDouble();
                        sb.Append(d == Math.Floor(d) && Math.Abs(d) < 1e21 ? d.ToString("0", CultureInfo.InvariantCulture) : d.ToString("R", CultureInfo.InvariantCulture));
                        break;
                    default: sb.Append(e.GetRawText()); break;
                }
                break;
        }
    }

    private static void Quote(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case < ' ': sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default: sb.Append(c); break;
            }
        }
        sb.Append('"');
    }
}
