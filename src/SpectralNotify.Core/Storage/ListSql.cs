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
    /// <summary>
    /// The named list query with the REST task list's conditions (<c>TaskListWhere</c>) spliced in at
    /// <c>/* task-where */</c>, then the shared metadata condition (<c>ListMetadataMatch</c>) at <c>/* metadata */</c>.
    /// </summary>
    public static string Compose(NamedQueries sql, string name)
    {
        var text = sql[name];
        if (text.Contains("/* task-where */", StringComparison.Ordinal))
        {
            text = text.Replace("/* task-where */", sql["TaskListWhere"], StringComparison.Ordinal);
        }
        return text.Replace("/* metadata */", sql["ListMetadataMatch"], StringComparison.Ordinal);
    }

    /// <summary>The statuses' wire names, or null for any.</summary>
    public static string[]? Statuses(ListFilter f) => Statuses(f.Status);

    /// <inheritdoc cref="Statuses(ListFilter)"/>
    public static string[]? Statuses(IReadOnlyList<TaskState>? statuses) => statuses?.Select(s => s.ToWire()).ToArray();

    /// <summary>Escapes LIKE's wildcards and the escape character itself (queries say <c>ESCAPE '\'</c>).</summary>
    public static string LikeEscape(string s) =>
        s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    /// <summary>The LIKE pattern of a search's id prefix (<c>@search_prefix</c>), or null for any.</summary>
    public static string? SearchPrefix(string? search) => search is null ? null : LikeEscape(search) + "%";

    /// <summary>The LIKE pattern of a search's title substring (<c>@search_contains</c>), or null for any.</summary>
    public static string? SearchContains(string? search) => search is null ? null : "%" + LikeEscape(search) + "%";

    /// <summary>The metadata pairs as a JSON array of <c>{"k","s"|"n"|"b"}</c>, or null for any.</summary>
    public static string? Metadata(ListFilter f) => Metadata(f.Metadata);

    /// <inheritdoc cref="Metadata(ListFilter)"/>
    public static string? Metadata(IReadOnlyList<MetadataCondition>? metadata)
    {
        if (metadata is null)
        {
            return null;
        }
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            foreach (var condition in metadata)
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
