using System.Net.WebSockets;
using System.Text.Json;
using SpectralNotify.Access;
using SpectralNotify.Realtime;
using SpectralNotify.Server.Auth;
using SpectralNotify.Server.Auth.Tokens;

namespace SpectralNotify.Server.Realtime;

/// <summary>
/// A fresh token sent on a live connection (<c>{"type":"auth","token":"…"}</c>) extends it, when the
/// token authenticates and still grants reading this connection's entity.
/// </summary>
public sealed class LiveTokenRenewal(TokenLease lease, string kind, string id, IServiceProvider services)
{
    /// <summary>Close code when the connection's token expired without a renewal (HTTP 401 plus 4000).</summary>
    public const WebSocketCloseStatus Expired = (WebSocketCloseStatus)4401;

    public async Task<byte[]> RenewAsync(JsonElement message, CancellationToken ct)
    {
        var (fresh, refusal) = await CheckAsync(message, kind, id, services, ct);
        if (fresh is null)
        {
            return TaskMessages.TokenRefused(refusal!);
        }
        lease.Renew(fresh.ExpiresAt);
        return TaskMessages.TokenAccepted(fresh.ExpiresAt);
    }

    /// <summary>
    /// Checks an <c>{"type":"auth","token":"…"}</c> message: the token authenticates and grants reading
    /// <paramref name="kind"/>/<paramref name="id"/>. Answers the token's lease, or why it is refused.
    /// </summary>
    public static async Task<(TokenLease? Lease, string? Refusal)> CheckAsync(JsonElement message, string kind, string id, IServiceProvider services, CancellationToken ct)
    {
        if (message.ValueKind != JsonValueKind.Object || !message.TryGetProperty("token", out var value)
            || value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 } token)
        {
            return (null, "An auth message needs a \"token\" string.");
        }
        var (principal, refusal) = await services.GetRequiredService<TokenAuthenticator>().AuthenticateAsync(token, ct);
        if (principal is null)
        {
            return (null, refusal);
        }
        var resource = kind switch
        {
            FeedItem.WorkflowKind => Resource.Workflows,
            FeedItem.CounterKind => Resource.Counters,
            _ => Resource.Tasks,
        };
        var mode = services.GetRequiredService<ApiKeyOptions>().AnonymousReads;
        if (AccessRules.Decide(principal.ToCaller(), resource, Operation.Read, id, mode) != Decision.Allow
            || TokenLease.For(principal, services.GetRequiredService<TimeProvider>()) is not { } fresh)
        {
            return (null, "The token does not grant reading what this connection watches.");
        }
        return (fresh, null);
    }
}
