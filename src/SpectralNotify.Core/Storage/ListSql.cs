using System.Text;
using System.Text.Json;
using SpectralNotify.Lists;
using SpectralNotify.Tasks;

namespace SpectralNotify.Storage;

/// <summary>
/// What both engines bind for a <see cref="ListFilter"/> (the queries in each engine's
/// <c>Sql/lists.sql</c>), computed once here so the engines cannot drift apart.
/// </summary>
public static class ListSql
{
    /// <summary>The named list query with the shared metadata condition (<c>ListMetadataMatch</c>) spliced in at <c>/* metadata */</c>.</summary>
    public static string Compose(NamedQueries sql, string name) =>
        sql[name].Replace("/* metadata */", sql["ListMetadataMatch"], StringComparison.Ordinal);

    /// <summary>The statuses' wire names, or null for any.</summary>
    public static string[]? Statuses(ListFilter f) => f.Status?.Select(s => s.ToWire()).ToArray();

    /// <summary>The metadata pairs as a JSON array of <c>{"k","s"|"n"|"b"}</c>, or null for any.</summary>
    public static string? Metadata(ListFilter f)
    {
        if (f.Metadata is null)
        {
            return null;
        }
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            foreach (var condition in f.Metadata)
            {
                condition.WriteTo(w);
            }
            w.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>A JSON array of strings, for SQLite's <c>json_each</c> (PostgreSQL binds a text[] instead).</summary>
    public static string? JsonArray(IReadOnlyList<string>? values) => values is null ? null : JsonSerializer.Serialize(values);
}
