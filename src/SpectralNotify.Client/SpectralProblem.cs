using System.Text.Json;
using System.Text.Json.Serialization;

namespace SpectralNotify.Client;

/// <summary>RFC 9457 problem details as the server sends them; <see cref="Errors"/> names the fields at fault.</summary>
public sealed record SpectralProblem
{
    /// <summary>A URI naming the kind of problem.</summary>
    public string? Type { get; init; }

    /// <summary>A short summary, the same for every occurrence of the kind.</summary>
    public string? Title { get; init; }

    /// <summary>The HTTP status.</summary>
    public int? Status { get; init; }

    /// <summary>What went wrong with this request.</summary>
    public string? Detail { get; init; }

    /// <summary>The request path.</summary>
    public string? Instance { get; init; }

    /// <summary>Validation errors by field path (e.g. <c>phases[3].weight</c>).</summary>
    public IReadOnlyDictionary<string, string[]>? Errors { get; init; }

    /// <summary>Every other member of the problem object.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Extensions { get; init; }
}
