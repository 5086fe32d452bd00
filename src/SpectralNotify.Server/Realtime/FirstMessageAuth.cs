using System.Net.WebSockets;
using System.Text.Json;
using SpectralNotify.Server.Auth;

namespace SpectralNotify.Server.Realtime;

/// <summary>
/// <c>?auth=message</c> on a WebSocket: the upgrade carries no credential (nothing to leak into
/// logs or history), and the first message must be <c>{"type":"auth","token":"…"}</c> with a token
/// that may read the entity, within <see cref="Timeout"/>; otherwise the socket is closed with 4401.
/// </summary>
public static class FirstMessageAuth
{
    public const string QueryParameter = "auth";
    public const string QueryValue = "message";
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private const int MaxBytes = 16 * 1024;

    /// <summary>Whether this request asks to authenticate in its first message (and brought no credential).</summary>
    public static bool Requested(HttpContext http) =>
        http.User.Identity?.IsAuthenticated != true && http.WebSockets.IsWebSocketRequest && LiveEndpoint.Is(http)
        && string.Equals(http.Request.Query[QueryParameter], QueryValue, StringComparison.Ordinal);

    /// <summary>Reads the auth message; answers the token's lease, or null after closing the socket with 4401.</summary>
    public static Task<TokenLease?> AuthenticateAsync(WebSocket socket, string kind, string id, HttpContext http) =>
        AuthenticateAsync(socket, http, (message, ct) => LiveTokenRenewal.CheckAsync(message, kind, id, http.RequestServices, ct));

    /// <summary>Reads the auth message and lets <paramref name="check"/> judge it; answers the token's lease, or null after closing the socket with 4401.</summary>
    public static async Task<TokenLease?> AuthenticateAsync(WebSocket socket, HttpContext http,
        Func<JsonElement, CancellationToken, Task<(TokenLease? Lease, string? Refusal)>> check)
    {
        var time = http.RequestServices.GetRequiredService<TimeProvider>();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        deadline.CancelAfter(Timeout);
        string refusal;
        try
        {
            var buffer = new byte[MaxBytes];
            var length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer.AsMemory(length), deadline.Token);
                length += result.Count;
            }
            while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close && length < MaxBytes);
            if (result.MessageType == WebSocketMessageType.Close || !result.EndOfMessage)
            {
                refusal = "The first message must be {\"type\":\"auth\",\"token\":…} (at most 16 KiB).";
            }
            else
            {
                using var doc = JsonDocument.Parse(buffer.AsMemory(0, length));
                var (lease, why) = await check(doc.RootElement, deadline.Token);
                if (lease is not null)
                {
                    await socket.SendAsync(TaskMessages.TokenAccepted(lease.ExpiresAt), WebSocketMessageType.Text, true, deadline.Token);
                    return lease;
                }
                refusal = why!;
            }
        }
        catch (OperationCanceledException) when (!http.RequestAborted.IsCancellationRequested)
        {
            refusal = $"No auth message within {Timeout.TotalSeconds:0} s.";
        }
        catch (JsonException)
        {
            refusal = "The first message must be {\"type\":\"auth\",\"token\":…}.";
        }
        using var closing = new CancellationTokenSource(TimeSpan.FromSeconds(5), time);
        try
        {
            await socket.CloseOutputAsync(LiveTokenRenewal.Expired, refusal.Length > 120 ? refusal[..120] : refusal, closing.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            http.Abort();
        }
        return null;
    }
}
