using System.Text.Json;

namespace SpectralNotify.Client.Models;

/// <summary>A typed configuration entry (<c>/api/v1/config/{key}</c>, admin).</summary>
public sealed record ConfigEntry
{
    /// <summary>1–200 characters of <c>A-Z a-z 0-9 _ - . :</c>.</summary>
    public string Key { get; init; } = "";

    /// <summary>One of <see cref="ConfigValueTypes"/>.</summary>
    public string Type { get; init; } = ConfigValueTypes.String;

    /// <summary>The value; null for a secret (never returned).</summary>
    public JsonElement? Value { get; init; }

    /// <summary>The value is never shown by the API.</summary>
    public bool IsSecret { get; init; }

    /// <summary>What the setting is for.</summary>
    public string? Description { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The name of the key that last changed it.</summary>
    public string? UpdatedBy { get; init; }

    /// <summary>Its version.</summary>
    public long Version { get; init; }
}

/// <summary><c>PUT /api/v1/config/{key}</c>: creates or replaces the entry.</summary>
public sealed record PutConfigRequest
{
    /// <summary>One of <see cref="ConfigValueTypes"/>; required.</summary>
    public string? Type { get; init; }

    /// <summary>A value that fits <see cref="Type"/>; required.</summary>
    public JsonElement? Value { get; init; }

    /// <summary>What the setting is for.</summary>
    public string? Description { get; init; }

    /// <summary>Never show the value in API answers.</summary>
    public bool? IsSecret { get; init; }
}

/// <summary>The values of <see cref="ConfigEntry.Type"/>.</summary>
public static class ConfigValueTypes
{
    /// <summary>A JSON string.</summary>
    public const string String = "string";

    /// <summary>A whole number within 64 bits.</summary>
    public const string Integer = "integer";

    /// <summary>A finite number.</summary>
    public const string Float = "float";

    /// <summary>true or false.</summary>
    public const string Boolean = "boolean";

    /// <summary>Any JSON up to 64 KiB.</summary>
    public const string Json = "json";
}
