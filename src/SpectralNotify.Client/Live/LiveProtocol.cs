using System.Text.Json;

namespace SpectralNotify.Client.Live;

/// <summary>Client messages of protocol v2 (docs/realtime.md, "Client → server").</summary>
internal static class LiveProtocol
{
    public const string Path = "api/v1/live";

    /// <summary>The server closes with this when the connection's token expired unrenewed.</summary>
    public const int TokenExpiredCloseCode = 4401;

    public static readonly byte[] Ping = Encode(new Dictionary<string, object?> { ["type"] = "ping" });

    public static byte[] Unsubscribe(string id) => Encode(new Dictionary<string, object?> { ["type"] = "unsubscribe", ["id"] = id });

    public static byte[] Auth(string token) => Encode(new Dictionary<string, object?> { ["type"] = "auth", ["token"] = token });

    /// <summary>One JSON text frame; null fields are left out.</summary>
    public static byte[] Encode(Dictionary<string, object?> message) =>
        JsonSerializer.SerializeToUtf8Bytes(message.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value), SpectralJson.Options);
}
