using System.Text.Json;
using System.Text.Json.Serialization;

namespace SpectralNotify.Server.Hosting;

/// <summary>Writes timestamps as ISO-8601 UTC with milliseconds (<c>2025-10-28T12:00:05.123Z</c>); reads any ISO-8601.</summary>
public sealed class WireTimeConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Clock.ToWire(value));
}
