using System.Reflection;
using System.Text.RegularExpressions;

namespace SpectralNotify.Storage;

/// <summary>
/// Loads the named queries of an engine: embedded <c>Sql/*.sql</c> files in which each query starts
/// with a <c>-- name: QueryName</c> line. Both engines define the same names; a test checks that.
/// </summary>
public sealed partial class NamedQueries
{
    private readonly Dictionary<string, string> _queries;

    private NamedQueries(Dictionary<string, string> queries) => _queries = queries;

    public IReadOnlyCollection<string> Names => _queries.Keys;

    public string this[string name] =>
        _queries.TryGetValue(name, out var sql) ? sql : throw new KeyNotFoundException($"No query named '{name}'.");

    public static NamedQueries FromAssembly(Assembly assembly)
    {
        var queries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("Sql/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            string? name = null;
            var body = new System.Text.StringBuilder();
            void Flush()
            {
                if (name is not null && !queries.TryAdd(name, body.ToString().Trim()))
                {
                    throw new InvalidOperationException($"Query '{name}' is defined twice.");
                }
                body.Clear();
            }
            while (reader.ReadLine() is { } line)
            {
                var m = NameLine().Match(line);
                if (m.Success)
                {
                    Flush();
                    name = m.Groups[1].Value;
                }
                else if (name is not null)
                {
                    body.AppendLine(line);
                }
            }
            Flush();
        }
        return new NamedQueries(queries);
    }

    [GeneratedRegex(@"^--\s*name:\s*(\w+)\s*$")]
    private static partial Regex NameLine();
}
