using System.Text;
using System.Text.Json;

namespace SpectralNotify.Server.Api;

/// <summary>
/// The one rule for JSON text read from a request: every property name and string must decode to
/// well-formed UTF-16. JSON allows escapes such as <c>"\ud800"</c> (a lone surrogate), and the
/// parser does not check the UTF-8 of strings, so both reach <see cref="JsonElement.GetString"/>,
/// which then throws. Both surfaces check a parsed body once with <see cref="FindUnreadable"/>
/// (the v1 binder through <see cref="CheckedJsonElementConverter"/>, the compat surface in
/// <c>CompatInput.Read</c>), so no later read can fail. NUL (<c>\u0000</c>) is readable and is
/// judged by the field that stores it.
/// </summary>
public static class JsonText
{
    public const string Rule = "must be valid Unicode text (no lone surrogates or invalid UTF-8)";

    /// <summary>The path (names and indexes) of the first name or string that cannot be read, or null when all can.</summary>
    public static IReadOnlyList<object>? FindUnreadable(JsonElement element)
    {
        var path = new List<object>();
        return Walk(element, path) ? null : path;
    }

    /// <summary><c>$.a.b[2]</c> for the segments <c>a, b, 2</c>.</summary>
    public static string Format(IReadOnlyList<object> path)
    {
        var text = new StringBuilder("$");
        foreach (var segment in path)
        {
            text.Append(segment is int i ? $"[{i}]" : $".{segment}");
        }
        return text.ToString();
    }

    private static bool Walk(JsonElement e, List<object> path)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject())
                {
                    if (!Readable(() => p.Name))
                    {
                        path.Add("(a property name)");
                        return false;
                    }
                    path.Add(p.Name);
                    if (!Walk(p.Value, path))
                    {
                        return false;
                    }
                    path.RemoveAt(path.Count - 1);
                }
                return true;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in e.EnumerateArray())
                {
                    path.Add(index++);
                    if (!Walk(item, path))
                    {
                        return false;
                    }
                    path.RemoveAt(path.Count - 1);
                }
                return true;
            case JsonValueKind.String:
                return Readable(e.GetString);
            default:
                return true;
        }
    }

    private static bool Readable(Func<string?> read)
    {
        try
        {
            read();
            return true;
        }
        catch (InvalidOperationException)
        {
            // Thrown for a lone surrogate escape and for invalid UTF-8 alike.
            return false;
        }
    }
}
