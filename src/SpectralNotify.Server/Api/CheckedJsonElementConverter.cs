using System.Text.Json;
using System.Text.Json.Serialization;

namespace SpectralNotify.Server.Api;

/// <summary>
/// Binds every <see cref="JsonElement"/> of a v1 request body (metadata, config, payloads, schedules,
/// PATCH fields) only when all its text is readable (<see cref="JsonText"/>); otherwise the binder
/// fails with a <see cref="JsonException"/> naming the path, which <see cref="Problems"/> answers as 400.
/// </summary>
public sealed class CheckedJsonElementConverter : JsonConverter<JsonElement>
{
    public override JsonElement Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var element = JsonElement.ParseValue(ref reader);
        if (JsonText.FindUnreadable(element) is { } path)
        {
            // The binder prefixes the field's own path ($.metadata); this names the spot inside it.
            throw new JsonException($"The text at {JsonText.Format(path)} inside this value {JsonText.Rule}.");
        }
        return element;
    }

    public override void Write(Utf8JsonWriter writer, JsonElement value, JsonSerializerOptions options) => value.WriteTo(writer);
}
