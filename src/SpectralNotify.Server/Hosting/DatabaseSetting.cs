using System.Globalization;
using System.Text;

namespace SpectralNotify.Server.Hosting;

/// <summary>
/// The parsed <c>SPECTRAL_DATABASE</c> value: <c>sqlite:&lt;path&gt;</c>, a PostgreSQL URL
/// (<c>postgres://user:pass@host:5432/db?sslmode=disable</c>), or an Npgsql connection string
/// (<c>Host=…;Database=…</c>). Defaults to <c>sqlite:./data/spectral.db</c>.
/// </summary>
public sealed record DatabaseSetting(string Engine, string Value)
{
    public const string Default = "sqlite:./data/spectral.db";

    public bool IsSqlite => Engine == "sqlite";

    /// <summary>The folder where the server keeps local files (the generated admin key): the SQLite file's folder, else <c>./data</c>.</summary>
    public string DataDirectory => IsSqlite ? Path.GetDirectoryName(Path.GetFullPath(Value))! : Path.GetFullPath("./data");

    public static DatabaseSetting Parse(string? raw)
    {
        raw = string.IsNullOrWhiteSpace(raw) ? Default : raw.Trim();
        if (raw.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            var path = raw["sqlite:".Length..];
            if (path.StartsWith("//", StringComparison.Ordinal))
            {
                path = path[2..];
            }
            if (path.Length == 0)
            {
                throw new ArgumentException("SPECTRAL_DATABASE=sqlite: needs a file path, e.g. sqlite:./data/spectral.db.");
            }
            return new DatabaseSetting("sqlite", path);
        }
        if (raw.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || raw.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(raw, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
            {
                throw new ArgumentException($"SPECTRAL_DATABASE={Secrets.MaskDatabase(raw)} is not a valid URL (postgres://user:password@host:5432/database).");
            }
            return new DatabaseSetting("postgres", FromUrl(uri));
        }
        if (raw.Contains('=', StringComparison.Ordinal) && raw.Contains("host", StringComparison.OrdinalIgnoreCase))
        {
            return new DatabaseSetting("postgres", raw);
        }
        throw new ArgumentException(
            $"SPECTRAL_DATABASE={Secrets.MaskDatabase(raw)}: SPECTRAL_DATABASE must be 'sqlite:<path>', a postgres:// URL, or an Npgsql connection string (Host=…;Database=…).");
    }

    /// <summary>For logs and errors: <c>sqlite:/abs/path.db</c>, or the connection string with its password masked.</summary>
    public string Display => IsSqlite ? $"sqlite:{Path.GetFullPath(Value)}" : $"postgres {Secrets.MaskDatabase(Value)}";

    private static string FromUrl(Uri uri)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"Host={uri.Host};Port={(uri.Port > 0 ? uri.Port : 5432)}");
        var db = uri.AbsolutePath.Trim('/');
        if (db.Length > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $";Database={Uri.UnescapeDataString(db)}");
        }
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            sb.Append(CultureInfo.InvariantCulture, $";Username={Uri.UnescapeDataString(parts[0])}");
            if (parts.Length == 2)
            {
                sb.Append(CultureInfo.InvariantCulture, $";Password={Uri.UnescapeDataString(parts[1])}");
            }
        }
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            var key = Uri.UnescapeDataString(kv[0]);
            var value = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : "";
            sb.Append(CultureInfo.InvariantCulture, $";{(key == "sslmode" ? "SSL Mode" : key)}={value}");
        }
        return sb.ToString();
    }
}
