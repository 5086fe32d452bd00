using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace SpectralNotify.Migrations;

/// <summary>One numbered schema step with its up and down SQL. <see cref="Checksum"/> is the SHA-256 of the up SQL.</summary>
public sealed record Migration(int Version, string Name, string Up, string Down)
{
    public string Checksum { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Up)));

    /// <summary>
    /// Loads the embedded <c>Migrations/NNNN_name.up.sql</c> / <c>.down.sql</c> pairs of an engine
    /// assembly. Both engines number and name their migrations identically; a test checks that.
    /// </summary>
    public static IReadOnlyList<Migration> FromAssembly(Assembly assembly)
    {
        var pattern = new Regex(@"^Migrations/(\d{4})_([a-z0-9_]+)\.(up|down)\.sql$");
        var parts = new Dictionary<(int, string), (string? Up, string? Down)>();
        foreach (var name in assembly.GetManifestResourceNames())
        {
            var m = pattern.Match(name);
            if (!m.Success)
            {
                continue;
            }
            var key = (int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), m.Groups[2].Value);
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            var sql = reader.ReadToEnd();
            parts.TryGetValue(key, out var pair);
            parts[key] = m.Groups[3].Value == "up" ? (sql, pair.Down) : (pair.Up, sql);
        }
        return parts
            .Select(p => new Migration(p.Key.Item1, p.Key.Item2,
                p.Value.Up ?? throw new InvalidOperationException($"Migration {p.Key.Item1:D4}_{p.Key.Item2} has no up.sql."),
                p.Value.Down ?? throw new InvalidOperationException($"Migration {p.Key.Item1:D4}_{p.Key.Item2} has no down.sql.")))
            .OrderBy(m => m.Version)
            .ToList();
    }
}

/// <summary>A row of the migrations table.</summary>
public sealed record AppliedMigration(int Version, string Name, string Checksum, DateTimeOffset AppliedAt);

/// <summary>One line of <c>spectral migrate status</c>.</summary>
public sealed record MigrationState(int Version, string Name, bool Applied, DateTimeOffset? AppliedAt, bool ChecksumMatches);
