using System.Text.Json;

namespace SpectralNotify.Client.Live;

/// <summary>
/// One watch on the shared connection, as the connection sees it. <see cref="Handle"/> and
/// <see cref="OnSubscribed"/> run on the connection's receive loop only, one message at a time, so
/// the position a subclass keeps needs no lock; <see cref="SubscribeMessage"/> also runs there (on
/// each welcome), or for a brand-new watch that holds no position yet.
/// </summary>
internal abstract class LiveSubscription(string topic)
{
    /// <summary>The subscription's id on the connection; never reused by one client.</summary>
    public string Id { get; set; } = "";

    public string Topic { get; } = topic;

    /// <summary>True when a subscribe would resume from a position received earlier (so <c>recovered</c> matters).</summary>
    public abstract bool HoldsPosition { get; }

    /// <summary>The <c>subscribe</c> message for now: the first, or a resume from what was received.</summary>
    public abstract Dictionary<string, object?> SubscribeMessage();

    /// <summary>The server accepted the subscription.</summary>
    public abstract void OnSubscribed(bool recovered, string? epoch, long? seq);

    /// <summary>Applies one message of this subscription; answers true when the subscription is over (ended without follow).</summary>
    public abstract bool Handle(string type, JsonElement message);

    /// <summary>Ends the consumer's enumeration: normally (<paramref name="error"/> null) or with the error.</summary>
    public abstract void Complete(Exception? error);

    protected static T? Read<T>(JsonElement message, string property) =>
        message.TryGetProperty(property, out var value) && value.ValueKind != JsonValueKind.Null
            ? value.Deserialize<T>(SpectralJson.Options)
            : default;

    protected static string? String(JsonElement message, string property) =>
        message.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    protected static long? Long(JsonElement message, string property) =>
        message.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : null;
}
