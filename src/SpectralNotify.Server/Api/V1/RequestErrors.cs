using System.Text;
using System.Text.Json;

namespace SpectralNotify.Server.Api.V1;

/// <summary>Collects field errors (<c>field → rules broken</c>) for a validation problem answer.</summary>
public sealed class RequestErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);
    private readonly string _prefix;

    public RequestErrors(string prefix = "") => _prefix = prefix;

    public bool Any => _errors.Count > 0;

    public void Add(string field, string rule)
    {
        var key = _prefix + field;
        if (!_errors.TryGetValue(key, out var list))
        {
            _errors[key] = list = [];
        }
        list.Add(rule);
    }

    public void Merge(RequestErrors other)
    {
        foreach (var (k, v) in other._errors)
        {
            foreach (var rule in v)
            {
                if (!_errors.TryGetValue(k, out var list))
                {
                    _errors[k] = list = [];
                }
                list.Add(rule);
            }
        }
    }

    public IDictionary<string, string[]> ToDictionary() => _errors.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());

    public string Summary => string.Join("; ", _errors.Select(kv => $"{kv.Key}: {string.Join(", ", kv.Value)}"));

    public void Id(string field, string? id, bool required)
    {
        if (id is null)
        {
            if (required)
            {
                Add(field, "is required");
            }
            return;
        }
        if (id.Length is 0 or > Limits.MaxIdLength)
        {
            Add(field, $"must be 1 to {Limits.MaxIdLength} characters");
        }
        else if (id.Any(c => char.IsControl(c) || c == '/'))
        {
            Add(field, "must not contain control characters or '/'");
        }
        else if (id is "." or "..")
        {
            Add(field, "must not be '.' or '..' (they cannot appear as a URL path segment)");
        }
        else if (!WellFormed(id))
        {
            Add(field, "must be valid Unicode (no lone surrogates)");
        }
    }

    public void Text(string field, string? value, int maxLength, bool required = false)
    {
        if (value is null)
        {
            if (required)
            {
                Add(field, "is required");
            }
            return;
        }
        if (value.Length > maxLength)
        {
            Add(field, $"must be at most {maxLength} characters");
        }
        NoNul(field, value);
    }

    /// <summary>
    /// PostgreSQL text cannot hold U+0000, and a lone UTF-16 surrogate cannot be encoded as UTF-8:
    /// refuse both on every engine so nothing unreadable is ever stored.
    /// </summary>
    private void NoNul(string field, string value)
    {
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            Add(field, "must not contain the NUL character (U+0000)");
        }
        if (!WellFormed(value))
        {
            Add(field, "must be valid Unicode (no lone surrogates)");
        }
    }

    /// <summary>True when every UTF-16 surrogate in <paramref name="s"/> is part of a pair.</summary>
    public static bool WellFormed(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(s[i]))
            {
                return false;
            }
        }
        return true;
    }

    public void Message(string field, string? value, bool required)
    {
        if (value is null)
        {
            if (required)
            {
                Add(field, "is required");
            }
            return;
        }
        if (Encoding.UTF8.GetByteCount(value) > Limits.MaxMessageBytes)
        {
            Add(field, $"must be at most {Limits.MaxMessageBytes} bytes (8 KiB)");
        }
        NoNul(field, value);
    }

    public void Progress(string field, double? value, bool required)
    {
        if (value is null)
        {
            if (required)
            {
                Add(field, "is required");
            }
            return;
        }
        if (!double.IsFinite(value.Value) || value < 0 || value > 100)
        {
            Add(field, "must be a number from 0 to 100");
        }
    }

    // JSON values bound from a request body are readable text already (CheckedJsonElementConverter), and NUL
    // is fine in them: JSON text stores it escaped ("\u0000"), which every engine keeps.

    /// <summary>Checks an optional JSON value of any kind (at most 64 KiB) and returns its text, or null when absent.</summary>
    public string? JsonValue(string field, JsonElement? value)
    {
        if (value is not { } v || v.ValueKind == JsonValueKind.Undefined)
        {
            return null;
        }
        var text = v.GetRawText();
        if (Encoding.UTF8.GetByteCount(text) > Limits.MaxJsonObjectBytes)
        {
            Add(field, $"must be at most {Limits.MaxJsonObjectBytes} bytes (64 KiB) of JSON");
            return null;
        }
        return text;
    }

    /// <summary>Checks an optional JSON object and returns its text (or null when absent).</summary>
    public string? JsonObject(string field, JsonElement? value)
    {
        if (value is not { } v || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (v.ValueKind != JsonValueKind.Object)
        {
            Add(field, "must be a JSON object");
            return null;
        }
        return JsonValue(field, v);
    }
}
