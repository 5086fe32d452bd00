using System.Text.Json;
using SpectralNotify.Configuration;

namespace SpectralNotify.Server.Api.V1.Contracts;

/// <summary>A configuration entry as the API shows it. <c>value</c> is null for secrets: they are never returned.</summary>
public sealed record ConfigDto(
    string Key, string Type, JsonElement? Value, bool IsSecret, string? Description,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string? UpdatedBy, long Version)
{
    public static ConfigDto From(ConfigEntry e) => new(
        e.Key, e.Type, e.IsSecret ? null : TaskDto.Json(e.Value), e.IsSecret, e.Description,
        e.CreatedAt, e.UpdatedAt, e.UpdatedBy, e.Version);
}

/// <summary>PUT /api/v1/config/{key}: <c>type</c> is one of string, integer, float, boolean, json; <c>value</c> must fit it.</summary>
public sealed record PutConfigRequest(string? Type = null, JsonElement? Value = null, string? Description = null, bool? IsSecret = null);
