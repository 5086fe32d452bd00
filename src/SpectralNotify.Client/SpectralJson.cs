using System.Text.Json;
using System.Text.Json.Serialization;

namespace SpectralNotify.Client;

/// <summary>The JSON settings of every REST body and live message: the server's web defaults (camelCase), nulls left out on write, times written as the server writes them.</summary>
public static class SpectralJson
{
    /// <summary>Shared, read-only options.</summary>
    public static JsonSerializerOptions Options { get; } = Build();

    private static JsonSerializerOptions Build()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.Converters.Add(new Internal.WireTimeConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
