using System.Globalization;
using System.Text.Json;

namespace SpectralNotify.Server.Realtime.V2;

/// <summary>
/// A <c>subscribe</c> message (or the SSE twin's query), checked field by field: the first problem
/// found becomes the subscription's <c>error</c> (code and message), nothing is opened.
/// </summary>
public sealed record SubscribeRequest
{
    public const int MaxIdLength = 64;
    public const int MaxEntityIdLength = 200;
    public const int MaxListLimit = 200;

    public required string Id { get; init; }
    /// <summary>The whole topic as sent (<c>task:abc</c>, <c>tasks</c>).</summary>
    public required string Topic { get; init; }
    /// <summary>The topic's name (<c>task</c>, <c>tasks</c>) and, for an entity topic, its id.</summary>
    public required string Name { get; init; }
    public string? EntityId { get; init; }
    public long? After { get; init; }
    public string? Epoch { get; init; }
    public bool Snapshot { get; init; }
    public bool Follow { get; init; }
    public JsonElement? Filter { get; init; }
    public int? Limit { get; init; }
    public string? Cursor { get; init; }

    /// <summary>Entity topics: <c>name:id</c>.</summary>
    public static readonly string[] EntityTopics = ["task", "workflow", "counter", "run", "job"];
    /// <summary>List topics.</summary>
    public static readonly string[] ListTopics = ["tasks", "runs", "workflows"];

    /// <summary>Reads a subscribe message; on failure <paramref name="error"/> is (code, message) and <paramref name="id"/> what could be read of the id.</summary>
    public static SubscribeRequest? Read(JsonElement m, out string? id, out (string Code, string Message)? error)
    {
        id = m.TryGetProperty("id", out var idValue) && idValue.ValueKind == JsonValueKind.String ? idValue.GetString() : null;
        if (id is null || id.Length is 0 or > MaxIdLength)
        {
            error = ("bad-request", $"\"id\" must be a string of 1 to {MaxIdLength} characters.");
            id = null;
            return null;
        }
        if (!m.TryGetProperty("topic", out var topicValue) || topicValue.ValueKind != JsonValueKind.String || topicValue.GetString() is not { Length: > 0 } topic)
        {
            error = ("invalid-topic", "\"topic\" must be a string such as \"task:<id>\" or \"tasks\".");
            return null;
        }
        var options = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var p in m.EnumerateObject())
        {
            options[p.Name] = p.Value;
        }
        return Build(id, topic, name => options.TryGetValue(name, out var v) ? v : null, out error);
    }

    /// <summary>Builds a request from named option values (JSON values: from a message, or parsed from a query string).</summary>
    public static SubscribeRequest? Build(string id, string topic, Func<string, JsonElement?> option, out (string Code, string Message)? error)
    {
        error = null;
        string name;
        string? entityId = null;
        var colon = topic.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            name = topic;
            if (!ListTopics.Contains(name, StringComparer.Ordinal))
            {
                error = ("invalid-topic", $"Unknown topic \"{Trim(topic)}\": use task:<id>, workflow:<id>, counter:<name>, run:<id>, job:<id>, tasks, runs or workflows.");
                return null;
            }
        }
        else
        {
            name = topic[..colon];
            entityId = topic[(colon + 1)..];
            if (!EntityTopics.Contains(name, StringComparer.Ordinal))
            {
                error = ("invalid-topic", $"Unknown topic \"{Trim(topic)}\": use task:<id>, workflow:<id>, counter:<name>, run:<id>, job:<id>, tasks, runs or workflows.");
                return null;
            }
            if (entityId.Length is 0 or > MaxEntityIdLength || entityId.Any(char.IsControl))
            {
                error = ("invalid-topic", $"The id in \"{name}:<id>\" must be 1 to {MaxEntityIdLength} characters without control characters.");
                return null;
            }
        }
        var isList = entityId is null || name == "job";
        long? after = null;
        if (option("after") is { ValueKind: not JsonValueKind.Null } a)
        {
            if (isList || a.ValueKind != JsonValueKind.Number || !a.TryGetInt64(out var n) || n < 0)
            {
                error = ("bad-request", isList ? "\"after\" applies to entity topics; a list resumes from its \"cursor\"." : "\"after\" must be a seq number, 0 or more.");
                return null;
            }
            after = n;
        }
        var epoch = String(option, "epoch", isList, ref error);
        var cursor = String(option, "cursor", !isList, ref error);
        var snapshot = Bool(option, "snapshot", ref error);
        var follow = Bool(option, "follow", ref error);
        if (error is not null)
        {
            return null;
        }
        int? limit = null;
        if (option("limit") is { ValueKind: not JsonValueKind.Null } l)
        {
            if (!isList || l.ValueKind != JsonValueKind.Number || !l.TryGetInt32(out var n) || n is < 1 or > MaxListLimit)
            {
                error = ("bad-request", isList ? $"\"limit\" must be a whole number from 1 to {MaxListLimit}." : "\"limit\" applies to list topics.");
                return null;
            }
            limit = n;
        }
        JsonElement? filter = option("filter") is { ValueKind: not JsonValueKind.Null } f ? f : null;
        if (filter is not null && (!isList || name == "job"))
        {
            error = ("invalid-filter", "\"filter\" applies to the list topics tasks, runs and workflows.");
            return null;
        }
        return new SubscribeRequest
        {
            Id = id, Topic = topic, Name = name, EntityId = entityId, After = after, Epoch = epoch, Snapshot = snapshot,
            Follow = follow, Filter = filter, Limit = limit, Cursor = cursor,
        };
    }

    private static string? String(Func<string, JsonElement?> option, string field, bool notApplicable, ref (string, string)? error)
    {
        if (error is not null || option(field) is not { ValueKind: not JsonValueKind.Null } v)
        {
            return null;
        }
        if (notApplicable)
        {
            error = ("bad-request", $"\"{field}\" does not apply to this topic.");
            return null;
        }
        if (v.ValueKind != JsonValueKind.String || v.GetString() is not { Length: > 0 and <= 200 } s)
        {
            error = ("bad-request", $"\"{field}\" must be a non-empty string.");
            return null;
        }
        return s;
    }

    private static bool Bool(Func<string, JsonElement?> option, string field, ref (string, string)? error)
    {
        if (error is not null || option(field) is not { ValueKind: not JsonValueKind.Null } v)
        {
            return false;
        }
        if (v.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            error = ("bad-request", $"\"{field}\" must be true or false.");
            return false;
        }
        return v.GetBoolean();
    }

    private static string Trim(string s) => s.Length > 60 ? s[..60] + "…" : s;

    internal static string Number(long n) => n.ToString(CultureInfo.InvariantCulture);
}
