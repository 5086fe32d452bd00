using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using SpectralNotify.Access;
using SpectralNotify.Server.Hosting;

namespace SpectralNotify.Server.Realtime.V2;

/// <summary><c>GET /api/v1/live</c>: the protocol-v2 WebSocket (docs/realtime.md, "Protocol v2").</summary>
public static class LiveV2Endpoints
{
    public const string Path = "/api/v1/live";

    public static IEndpointRouteBuilder MapLiveV2(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, WebSocketAsync).WithTags("Live").WithMetadata(LiveEndpoint.Marker).ExcludeFromDescription();
        app.MapGet(Path + "/sse", LiveSse.StreamAsync).WithTags("Live").WithMetadata(LiveEndpoint.Marker).ExcludeFromDescription();
        return app;
    }

    /// <summary>
    /// What every v2 request must pass before anything else: presented credentials that do not
    /// authenticate get 401, and so does no credential at all unless anonymous reads are open (or the
    /// token comes in the first message). What may be read is decided per subscription.
    /// </summary>
    internal static async Task<IResult?> RefuseAsync(HttpContext http, LiveContext live, bool firstMessageAuth)
    {
        if (http.User.Identity?.IsAuthenticated != true && (await http.AuthenticateAsync()).Failure is { } failure)
        {
            return Results.Problem(statusCode: 401, title: "Unauthorized", detail: failure.Message);
        }
        if (http.User.Identity?.IsAuthenticated != true && !firstMessageAuth && live.AnonymousReads == AnonymousReads.None)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return Results.Problem(statusCode: 401, title: "Unauthorized",
                detail: "Live connections need an API key (X-API-Key, or ?apiKey= for reads) or a token (Authorization: Bearer, ?access_token=, or ?auth=message).");
        }
        return null;
    }

    private static async Task<IResult> WebSocketAsync(HttpContext http, LiveContext live, LiveServices services)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            return Results.Problem(statusCode: 426, title: "Upgrade required", detail: "GET /api/v1/live is a WebSocket; use /api/v1/live/sse?topic=… for server-sent events.");
        }
        if (!http.RequestServices.GetRequiredService<OriginCheck>().Allows(http.Request))
        {
            return Results.Problem(statusCode: 403, title: "Origin not allowed",
                detail: $"WebSocket connections from {http.Request.Headers.Origin} are not allowed; the server's operator can list the origin in Cors:Origins.");
        }
        var firstMessage = FirstMessageAuth.Requested(http);
        if (await RefuseAsync(http, live, firstMessage) is { } refused)
        {
            return refused;
        }
        using var slot = services.TryEnter(http, out var full);
        if (slot is null)
        {
            return full!;
        }
        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        var user = http.User;
        var lease = TokenLease.For(user, live.Time);
        if (firstMessage)
        {
            ClaimsPrincipal? fromMessage = null;
            lease = await FirstMessageAuth.AuthenticateAsync(socket, http, async (message, ct) =>
            {
                var token = message.ValueKind == JsonValueKind.Object && message.TryGetProperty("token", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                if (string.IsNullOrEmpty(token))
                {
                    return (null, "An auth message needs a \"token\" string.");
                }
                var (principal, refusal) = await live.Tokens.AuthenticateAsync(token, ct);
                fromMessage = principal;
                return principal is null ? (null, refusal) : (TokenLease.For(principal, live.Time), null);
            });
            if (lease is null || fromMessage is null)
            {
                return Results.Empty;
            }
            user = fromMessage;
        }
        live.Metrics.ConnectionOpened("websocket");
        string? session = null;
        try
        {
            var client = http.Request.Query["clientId"].ToString();
            session = await live.Sessions.OpenAsync("websocket", "live", "*",
                client.Length > 0 ? client[..Math.Min(client.Length, 200)] : http.Connection.RemoteIpAddress?.ToString(),
                user.Identity?.Name, http.RequestAborted);
            var connection = new LiveConnection(socket, http, live, user, lease, http.RequestAborted, session);
            await connection.RunAsync(http.RequestAborted);
        }
        finally
        {
            live.Metrics.ConnectionClosed("websocket");
            if (session is not null)
            {
                await live.Sessions.CloseAsync(session);
            }
        }
        return Results.Empty;
    }
}
