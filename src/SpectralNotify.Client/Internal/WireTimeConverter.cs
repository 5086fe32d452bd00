using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SpectralNotify.Client.Internal;

/// <summary>
/// Writes timestamps as the server does (ISO-8601 UTC with milliseconds, <c>2026-12-02T01:56:42.123Z</c>),
/// so a model written back out (the CLI's <c>-o json</c>) reads like the REST answer it came from.
/// Reads any ISO-8601 form.
/// </summary>
internal sealed class WireTimeConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
}
