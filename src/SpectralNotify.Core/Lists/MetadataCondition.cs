using System.Globalization;
using System.Text.Json;

namespace SpectralNotify.Lists;

/// <summary>The JSON kinds a metadata condition can compare.</summary>
public enum MetadataValueKind
{
    String,
    Number,
    Boolean,
}

/// <summary>
/// One <c>metadata</c> pair of a <see cref="ListFilter"/>: the row's top-level metadata value under
/// <see cref="Key"/> must be of the same kind and equal. Numbers compare as IEEE doubles (so <c>1</c>,
/// <c>1.0</c> and <c>1e0</c> are equal), the way both engines' SQL compares them; strings compare
/// ordinally, after JSON unescaping.
/// </summary>
public sealed record MetadataCondition(string Key, MetadataValueKind Kind, string? Text, double Number, bool Boolean)
{
    public static MetadataCondition OfString(string key, string value) => new(key, MetadataValueKind.String, value, 0, false);

    public static MetadataCondition OfNumber(string key, double value) => new(key, MetadataValueKind.Number, null, value, false);

    public static MetadataCondition OfBoolean(string key, bool value) => new(key, MetadataValueKind.Boolean, null, 0, value);

    /// <summary>Whether a row's metadata value equals this condition's (see <see cref="ListRow"/> for how rows are read).</summary>
    internal bool Matches(JsonElement value) => Kind switch
    {
        MetadataValueKind.String => value.ValueKind == JsonValueKind.String && string.Equals(value.GetString(), Text, StringComparison.Ordinal),
        // A number beyond the double range reads as infinite, and a filter number is always finite:
        // such a value equals nothing, as in SQL (SQLite reads it as Inf too, PostgreSQL as NULL).
        MetadataValueKind.Number => value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var d) && d == Number,
        MetadataValueKind.Boolean => value.ValueKind == (Boolean ? JsonValueKind.True : JsonValueKind.False),
        _ => false,
    };

    /// <summary>The pair as the stores pass it to SQL: <c>{"k":key,"s"|"n"|"b":value}</c> (see ListMetadataMatch in Sql/lists.sql).</summary>
    internal void WriteTo(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("k", Key);
        switch (Kind)
        {
            case MetadataValueKind.String: w.WriteString("s", Text); break;
            // "R" text parses back to the same double in both engines.
            case MetadataValueKind.Number: w.WritePropertyName("n"); w.WriteRawValue(Number.ToString("R", CultureInfo.InvariantCulture)); break;
            default: w.WriteBoolean("b", Boolean); break;
        }
        w.WriteEndObject();
    }
}
