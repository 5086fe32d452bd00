using System.Text.Json;

namespace SpectralNotify.Server.Api.Compat;

/// <summary>
/// Reads a procedure's input the way the reference's zod schemas do (protocol §1.5, §2): every field
/// is checked in schema order and every problem is collected, defaults are applied and unknown keys
/// are ignored. On top of the reference it refuses what our storage cannot hold faithfully: NUL
/// characters and values past our size limits. Its text is readable: <see cref="CompatHandler"/> refuses a
/// body holding a lone surrogate or invalid UTF-8 anywhere (<see cref="JsonText"/>) before it gets here.
/// </summary>
public sealed class CompatInput(JsonElement? root)
{
    private readonly List<ZodIssue> _issues = [];

    public IReadOnlyList<ZodIssue> Issues => _issues;

    /// <summary>The input as an object; records <c>expected object</c> when it is anything else.</summary>
    public Fields Object()
    {
        if (root is { ValueKind: JsonValueKind.Object } o)
        {
            return new Fields(this, o, []);
        }
        Add(ZodIssue.InvalidType([], "object", ZodIssue.Received(root)));
        return new Fields(this, null, []);
    }

    public void Add(ZodIssue issue) => _issues.Add(issue);

    /// <summary>Throws the reference's 400 <c>Input validation failed</c> when any field was refused.</summary>
    public void ThrowIfInvalid()
    {
        if (_issues.Count > 0)
        {
            throw CompatError.Validation(_issues);
        }
    }
}

/// <summary>The fields of one input object (or of a missing one, where every read yields null).</summary>
public sealed class Fields(CompatInput input, JsonElement? obj, IReadOnlyList<object> path)
{
    public CompatInput Input => input;

    public IReadOnlyList<object> PathOf(object name) => [.. path, name];

    public IReadOnlyList<object> Path => path;

    public JsonElement? Get(string name) =>
        obj is { } o && o.TryGetProperty(name, out var v) ? v : null;

    /// <summary>The object's properties in input order (none when it is missing).</summary>
    public IEnumerable<JsonProperty> Properties => obj is { } o ? o.EnumerateObject() : [];

    public bool Present => obj is not null;

    /// <summary>A string with zod's length checks; <paramref name="max"/> may be ours, past the reference.</summary>
    public string? String(string name, int min = 0, int? max = null, string? minMessage = null, string? maxMessage = null,
        bool optional = false, bool nullable = false)
    {
        if (obj is null)
        {
            return null;
        }
        var value = Get(name);
        if (value is null && optional || value?.ValueKind == JsonValueKind.Null && nullable)
        {
            return null;
        }
        if (value is not { ValueKind: JsonValueKind.String } s)
        {
            input.Add(ZodIssue.InvalidType(PathOf(name), "string", ZodIssue.Received(value)));
            return null;
        }
        var text = s.GetString()!;
        if (text.Length < min)
        {
            input.Add(ZodIssue.TooSmall(PathOf(name), "string", min, true, minMessage));
            return null;
        }
        if (max is { } m && text.Length > m)
        {
            input.Add(ZodIssue.TooBig(PathOf(name), "string", m, true, maxMessage));
            return null;
        }
        if (text.Contains('\0'))
        {
            input.Add(ZodIssue.Custom(PathOf(name), "Invalid input: NUL characters are not accepted"));
            return null;
        }
        return text;
    }

    /// <summary>A finite JSON number within <paramref name="min"/>..<paramref name="max"/> (inclusive).</summary>
    public double? Number(string name, double min, double max, bool optional = false)
    {
        if (obj is null)
        {
            return null;
        }
        var value = Get(name);
        if (value is null && optional)
        {
            return null;
        }
        if (value is not { ValueKind: JsonValueKind.Number } n)
        {
            input.Add(ZodIssue.InvalidType(PathOf(name), "number", ZodIssue.Received(value)));
            return null;
        }
        var d = n.GetDouble();
        if (d < min)
        {
            input.Add(ZodIssue.TooSmall(PathOf(name), "number", min, true));
            return null;
        }
        if (d > max)
        {
            input.Add(ZodIssue.TooBig(PathOf(name), "number", max, true));
            return null;
        }
        return d;
    }

    /// <summary>
    /// <c>z.number().int()</c> with optional bounds and default. <paramref name="exclusiveMin"/> is
    /// zod's <c>.positive()</c> (<c>&gt; 0</c>).
    /// </summary>
    public long? Integer(string name, long? min = null, long? max = null, bool exclusiveMin = false, long? fallback = null)
    {
        if (obj is null)
        {
            return null;
        }
        var value = Get(name);
        if (value is null && fallback is not null)
        {
            return fallback;
        }
        if (value is not { ValueKind: JsonValueKind.Number } n)
        {
            input.Add(ZodIssue.InvalidType(PathOf(name), "number", ZodIssue.Received(value)));
            return null;
        }
        if (!n.TryGetInt64(out var i) || Math.Abs(i) > (1L << 53) - 1)
        {
            input.Add(ZodIssue.NotInteger(PathOf(name)));
            return null;
        }
        if (min is { } lo && (exclusiveMin ? i <= lo : i < lo))
        {
            input.Add(ZodIssue.TooSmall(PathOf(name), "number", lo, !exclusiveMin));
            return null;
        }
        if (max is { } hi && i > hi)
        {
            input.Add(ZodIssue.TooBig(PathOf(name), "number", hi, true));
            return null;
        }
        return i;
    }

    /// <summary>One of <paramref name="values"/>; a missing value takes <paramref name="fallback"/> when given.</summary>
    public string? Enum(string name, IReadOnlyList<string> values, string? fallback = null, bool optional = false)
    {
        if (obj is null)
        {
            return null;
        }
        var value = Get(name);
        if (value is null && (fallback is not null || optional))
        {
            return fallback;
        }
        if (value is { ValueKind: JsonValueKind.String } s && s.GetString() is { } text && values.Contains(text))
        {
            return text;
        }
        input.Add(ZodIssue.InvalidValue(PathOf(name), values));
        return null;
    }

    /// <summary>A nested object; null (with an issue unless optional and absent) when it is not one.</summary>
    public Fields? Object(string name, bool optional)
    {
        if (obj is null)
        {
            return null;
        }
        var value = Get(name);
        if (value is null && optional)
        {
            return null;
        }
        if (value is { ValueKind: JsonValueKind.Object } o)
        {
            return new Fields(input, o, PathOf(name));
        }
        input.Add(ZodIssue.InvalidType(PathOf(name), "object", ZodIssue.Received(value)));
        return null;
    }

    /// <summary>An array's items; null (with an issue unless optional and absent) when it is not one.</summary>
    public IReadOnlyList<JsonElement>? Array(string name, bool optional = false)
    {
        if (obj is null)
        {
            return null;
        }
        var value = Get(name);
        if (value is null && optional)
        {
            return null;
        }
        if (value is { ValueKind: JsonValueKind.Array } a)
        {
            return [.. a.EnumerateArray()];
        }
        input.Add(ZodIssue.InvalidType(PathOf(name), "array", ZodIssue.Received(value)));
        return null;
    }

    /// <summary>Fields of the <paramref name="index"/>-th item of an array read with <see cref="Array"/>.</summary>
    public Fields? Item(string arrayName, int index, JsonElement item)
    {
        if (item.ValueKind == JsonValueKind.Object)
        {
            return new Fields(input, item, [.. PathOf(arrayName), index]);
        }
        input.Add(ZodIssue.InvalidType([.. PathOf(arrayName), index], "object", ZodIssue.Received(item)));
        return null;
    }
}
