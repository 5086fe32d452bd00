using System.Globalization;

namespace SpectralNotify.Bench;

/// <summary>A command-line error: printed with the usage text, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>Hand-parsed <c>--name value</c> options (also <c>--name=value</c>); every option must be used.</summary>
internal sealed class Options
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public static Options Parse(ReadOnlySpan<string> args)
    {
        var o = new Options();
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            if (!a.StartsWith("--", StringComparison.Ordinal) || a.Length == 2)
            {
                throw new UsageException($"unexpected argument '{a}'");
            }
            var name = a[2..];
            string? value = null;
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                value = name[(eq + 1)..];
                name = name[..eq];
            }
            else if (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                value = args[++i];
            }
            o._values[name] = value;
        }
        return o;
    }

    public bool Has(string name)
    {
        _used.Add(name);
        return _values.ContainsKey(name);
    }

    public string String(string name, string? fallback = null)
    {
        _used.Add(name);
        if (_values.TryGetValue(name, out var v))
        {
            return v ?? throw new UsageException($"--{name} needs a value");
        }
        return fallback ?? throw new UsageException($"--{name} is required");
    }

    public string? OptionalString(string name)
    {
        _used.Add(name);
        return _values.TryGetValue(name, out var v) ? v ?? throw new UsageException($"--{name} needs a value") : null;
    }

    public int Int(string name, int fallback, int min = 1)
    {
        var raw = OptionalString(name);
        if (raw is null)
        {
            return fallback;
        }
        if (!int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) || v < min)
        {
            throw new UsageException($"--{name} must be an integer >= {min}, not '{raw}'");
        }
        return v;
    }

    public double Double(string name, double fallback, double min = 0)
    {
        var raw = OptionalString(name);
        if (raw is null)
        {
            return fallback;
        }
        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v) || v < min)
        {
            throw new UsageException($"--{name} must be a number >= {min}, not '{raw}'");
        }
        return v;
    }

    /// <summary>Fails on options nobody asked for (typos would otherwise silently use defaults).</summary>
    public void EnsureAllUsed()
    {
        var unknown = _values.Keys.Where(k => !_used.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new UsageException("unknown option(s): " + string.Join(", ", unknown.Select(k => "--" + k)));
        }
    }

    public Uri Url()
    {
        var raw = String("url", "http://127.0.0.1:18095");
        if (!Uri.TryCreate(raw, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
        {
            throw new UsageException($"--url must be an absolute http(s) URL, not '{raw}'");
        }
        return uri;
    }
}
