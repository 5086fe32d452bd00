namespace SpectralNotify.Server.Realtime;

/// <summary>
/// Endpoint metadata marking a live endpoint (WebSocket or SSE): the only places a credential may
/// arrive in the URL, because browsers cannot set headers on those requests.
/// </summary>
public sealed class LiveEndpoint
{
    public static LiveEndpoint Marker { get; } = new();

    public static bool Is(HttpContext http) => http.GetEndpoint()?.Metadata.GetMetadata<LiveEndpoint>() is not null;
}
