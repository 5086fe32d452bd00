using System.Text.Json;

namespace SpectralNotify.Configuration;

/// <summary>The five value types of a configuration entry and the check each applies on write.</summary>
public static class ConfigValueType
{
    public const string String = "string";
    public const string Integer = "integer";
    public const string Float = "float";
    public const string Boolean = "boolean";
    public const string Json = "json";

    public const string AllowedList = "string, integer, float, boolean, json";

    public static bool IsValid(string? type) => type is String or Integer or Float or Boolean or Json;

    /// <summary>
    /// Returns the canonical JSON text of <paramref name="value"/> when it fits <paramref name="type"/>,
    /// or null with the rule it broke in <paramref name="error"/>.
    /// </summary>
    public static string? Canonical(string type, JsonElement value, out string? error)
    {
        error = null;
        switch (type)
        {
            case String when value.ValueKind == JsonValueKind.String:
                return value.GetRawText();
            case Integer when value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var i):
                return i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            case Float when value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var d) && double.IsFinite(d):
                return d.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            case Boolean when value.ValueKind is JsonValueKind.True or JsonValueKind.False:
                return value.ValueKind == JsonValueKind.True ? "true" : "false";
            case Json when value.ValueKind != JsonValueKind.Undefined:
                return value.GetRawText();
        }
        error = type switch
        {
            String => "must be a JSON string for type string",
            Integer => "must be a whole number between -9223372036854775808 and 9223372036854775807 for type integer",
            Float => "must be a finite JSON number for type float",
            Boolean => "must be true or false for type boolean",
            _ => "must be a JSON value",
        };
        return null;
    }
}
