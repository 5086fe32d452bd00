namespace SpectralNotify.Configuration;

/// <summary>
/// A typed runtime setting. <see cref="Value"/> is the canonical JSON text of the value (a JSON
/// string for <c>string</c>, a number for <c>integer</c>/<c>float</c>, <c>true</c>/<c>false</c>,
/// any JSON for <c>json</c>). Secret values are stored and usable by the server but never
/// returned by the API.
/// </summary>
public sealed record ConfigEntry
{
    public required string Key { get; init; }
    public required string Type { get; init; }
    public required string Value { get; init; }
    public string? Description { get; init; }
    public bool IsSecret { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public string? UpdatedBy { get; init; }
    public long Version { get; init; }
}
