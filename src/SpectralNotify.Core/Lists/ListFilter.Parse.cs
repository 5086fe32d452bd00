using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using SpectralNotify.Jobs;
using SpectralNotify.Tasks;

namespace SpectralNotify.Lists;

public sealed partial record ListFilter
{
    private static readonly string[] TaskFields = ["status", "type", "workflowId", "metadata", "search", "createdAfter", "createdBefore"];
    private static readonly string[] RunFields = ["status", "state", "type", "queue", "jobId", "createdAfter", "createdBefore"];
    private static readonly string[] WorkflowFields = ["status", "metadata", "createdAfter", "createdBefore"];
    private const string RunStates = "pending, reserved, running, done";

    /// <summary>
    /// Reads a client's filter for a list of <paramref name="kind"/>. Null, absent (Undefined) or JSON
    /// null is the filter that matches every row. On failure <paramref name="error"/> names the field and
    /// the rule it breaks (an unknown field, a field that does not apply to this kind of list, a wrong
    /// JSON type, an unknown status or state, a bad instant, an empty array, a metadata value that is not
    /// a string/number/boolean, more than <see cref="ListLimits.MaxFilterValues"/> values, or a string
    /// over <see cref="ListLimits.MaxFilterText"/> characters), ready to send as the <c>invalid-filter</c> message.
    /// </summary>
    public static bool TryParse(ListKind kind, JsonElement? json, [NotNullWhen(true)] out ListFilter? filter, [NotNullWhen(false)] out string? error)
    {
        filter = null;
        error = null;
        if (json is not { } e || e.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            filter = All;
            return true;
        }
        if (e.ValueKind != JsonValueKind.Object)
        {
            error = "filter must be a JSON object (or null for every row)";
            return false;
        }
        var allowed = kind switch { ListKind.Tasks => TaskFields, ListKind.Runs => RunFields, _ => WorkflowFields };
        var result = new ListFilter();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in e.EnumerateObject())
        {
            if (!TryName(p, out var name, out error))
            {
                error = "filter " + error;
                return false;
            }
            if (!allowed.Contains(name))
            {
                error = TaskFields.Contains(name) || RunFields.Contains(name)
                    ? $"{name} does not apply to {kind.ToWire()} lists (it applies to {string.Join(" and ", AppliesTo(name))})"
                    : $"unknown field '{Shorten(name)}': a {kind.ToWire()} filter takes {string.Join(", ", allowed)}";
                return false;
            }
            if (!seen.Add(name))
            {
                error = $"{name} is given twice";
                return false;
            }
            error = name switch
            {
                "status" => Statuses(p.Value, out var s) ?? Set(result = result with { Status = s }),
                "state" => States(p.Value, out var st) ?? Set(result = result with { State = st }),
                "type" => Text(name, p.Value, out var t) ?? Set(result = result with { Type = t }),
                "queue" => Text(name, p.Value, out var qu) ?? Set(result = result with { Queue = qu }),
                "jobId" => Text(name, p.Value, out var j) ?? Set(result = result with { JobId = j }),
                "workflowId" => Text(name, p.Value, out var w) ?? Set(result = result with { WorkflowId = w }),
                "metadata" => MetadataPairs(p.Value, out var md) ?? Set(result = result with { Metadata = md }),
                "search" => Text(name, p.Value, out var q) ?? Set(result = result with { Search = q }),
                "createdAfter" => Instant(name, p.Value, out var a) ?? Set(result = result with { CreatedAfter = FloorMs(a) }),
                _ => Instant(name, p.Value, out var b) ?? Set(result = result with { CreatedBefore = CeilingMs(b) }),
            };
            if (error is not null)
            {
                return false;
            }
        }
        filter = result;
        return true;
    }

    /// <summary>Lets a field's parse and its assignment be one switch arm: the assignment happened, no error.</summary>
    private static string? Set(ListFilter _) => null;

    private static IEnumerable<string> AppliesTo(string field) =>
        new[] { (ListKind.Tasks, TaskFields), (ListKind.Runs, RunFields), (ListKind.Workflows, WorkflowFields) }
            .Where(k => k.Item2.Contains(field)).Select(k => k.Item1.ToWire());

    private static string? Statuses(JsonElement v, out IReadOnlyList<TaskState>? statuses)
    {
        statuses = null;
        if (Strings("status", v, "task statuses", out var names) is { } error)
        {
            return error;
        }
        var list = new List<TaskState>(names!.Count);
        foreach (var n in names)
        {
            if (!TaskStateNames.TryParse(n, out var s))
            {
                return $"status holds '{Shorten(n)}', which is not a status ({TaskStateNames.AllowedList})";
            }
            list.Add(s);
        }
        statuses = list;
        return null;
    }

    private static string? States(JsonElement v, out IReadOnlyList<string>? states)
    {
        states = null;
        if (Strings("state", v, "run states", out var names) is { } error)
        {
            return error;
        }
        if (names!.FirstOrDefault(n => n is not (JobRun.Pending or JobRun.Reserved or JobRun.Running or JobRun.Done)) is { } bad)
        {
            return $"state holds '{Shorten(bad)}', which is not a run state ({RunStates})";
        }
        states = names;
        return null;
    }

    private static string? Strings(string field, JsonElement v, string what, out List<string>? values)
    {
        values = null;
        if (v.ValueKind != JsonValueKind.Array)
        {
            return $"{field} must be an array of {what}";
        }
        var count = v.GetArrayLength();
        if (count is 0 or > ListLimits.MaxFilterValues)
        {
            return $"{field} must hold 1 to {ListLimits.MaxFilterValues} {what}, not {count}";
        }
        values = new List<string>(count);
        foreach (var item in v.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || !TryString(item, out var s))
            {
                values = null;
                return $"{field} must be an array of {what} (strings)";
            }
            values.Add(s);
        }
        return null;
    }

    private static string? Text(string field, JsonElement v, out string? value)
    {
        value = null;
        if (v.ValueKind != JsonValueKind.String)
        {
            return $"{field} must be a string";
        }
        if (!TryString(v, out var s))
        {
            return $"{field} must be valid Unicode text";
        }
        if (TextRule(s) is { } rule)
        {
            return $"{field} {rule}";
        }
        value = s;
        return null;
    }

    /// <summary>
    /// The rule for every filter string. NUL cannot be bound as PostgreSQL text, and the PostgreSQL
    /// metadata match reads a stored NUL as U+FFFF (see Sql/lists.sql), so neither may appear in a filter.
    /// </summary>
    private static string? TextRule(string s, int min = 1) =>
        s.Length < min || s.Length > ListLimits.MaxFilterText ? $"must be {min} to {ListLimits.MaxFilterText} characters"
        : s.Contains('\0', StringComparison.Ordinal) || s.Contains('\uffff', StringComparison.Ordinal) ? "must not contain NUL or U+FFFF"
        : null;

    /// <summary>Reads a metadata object as the <c>metadata</c> filter field does (for the REST task list's <c>metadata</c> parameter).</summary>
    public static string? TryMetadata(JsonElement v, out IReadOnlyList<MetadataCondition>? pairs) => MetadataPairs(v, out pairs);

    /// <summary>The rule every filter string follows (length, no NUL or U+FFFF), or null when <paramref name="s"/> keeps it.</summary>
    public static string? CheckText(string s) => TextRule(s);

    private static string? MetadataPairs(JsonElement v, out IReadOnlyList<MetadataCondition>? pairs)
    {
        pairs = null;
        if (v.ValueKind != JsonValueKind.Object)
        {
            return "metadata must be an object of key → string, number or boolean";
        }
        var list = new List<MetadataCondition>();
        foreach (var p in v.EnumerateObject())
        {
            if (!TryName(p, out var key, out var error))
            {
                return "metadata " + error;
            }
            if (TextRule(key) is { } rule)
            {
                return $"metadata key '{Shorten(key)}' {rule}";
            }
            if (list.Any(c => c.Key == key))
            {
                return $"metadata.{Shorten(key)} is given twice";
            }
            var value = p.Value;
            MetadataCondition condition;
            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    if (!TryString(value, out var s))
                    {
                        return $"metadata.{Shorten(key)} must be valid Unicode text";
                    }
                    if (TextRule(s, min: 0) is { } r)
                    {
                        return $"metadata.{Shorten(key)} {r}";
                    }
                    condition = MetadataCondition.OfString(key, s);
                    break;
                case JsonValueKind.Number:
                    if (!value.TryGetDouble(out var d) || !double.IsFinite(d))
                    {
                        return $"metadata.{Shorten(key)} must be a number within the double range";
                    }
                    condition = MetadataCondition.OfNumber(key, d);
                    break;
                case JsonValueKind.True or JsonValueKind.False:
                    condition = MetadataCondition.OfBoolean(key, value.ValueKind == JsonValueKind.True);
                    break;
                default:
                    return $"metadata.{Shorten(key)} must be a string, number or boolean (top-level values only)";
            }
            list.Add(condition);
            if (list.Count > ListLimits.MaxFilterValues)
            {
                return $"metadata must hold 1 to {ListLimits.MaxFilterValues} pairs";
            }
        }
        if (list.Count == 0)
        {
            return $"metadata must hold 1 to {ListLimits.MaxFilterValues} pairs, not an empty object";
        }
        pairs = list;
        return null;
    }

    private static string? Instant(string field, JsonElement v, out DateTimeOffset at)
    {
        at = default;
        if (v.ValueKind != JsonValueKind.String || !TryString(v, out var s) || !IsoInstant().IsMatch(s)
            || !DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out at))
        {
            return $"{field} must be an ISO-8601 instant with a time zone, such as 2026-01-02T03:04:05Z";
        }
        return null;
    }

    private static DateTimeOffset FloorMs(DateTimeOffset t) => Clock.Truncate(t);

    private static DateTimeOffset CeilingMs(DateTimeOffset t)
    {
        var floor = Clock.Truncate(t);
        return floor == t.ToUniversalTime() || floor.UtcTicks + TimeSpan.TicksPerMillisecond > DateTimeOffset.MaxValue.UtcTicks
            ? floor
            : floor.AddMilliseconds(1);
    }

    /// <summary>GetString throws on text that is not valid UTF-16 (a lone surrogate escape); the socket path reads raw client JSON.</summary>
    private static bool TryString(JsonElement e, [NotNullWhen(true)] out string? s)
    {
        try
        {
            s = e.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            s = null;
            return false;
        }
    }

    private static bool TryName(JsonProperty p, out string name, [NotNullWhen(false)] out string? error)
    {
        try
        {
            name = p.Name;
            error = null;
            return true;
        }
        catch (InvalidOperationException)
        {
            name = "";
            error = "has a field name that is not valid Unicode text";
            return false;
        }
    }

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "…";

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoInstant();
}
