using System.Globalization;
using System.Security.Claims;
using SpectralNotify.Server.Auth.Tokens;

namespace SpectralNotify.Server.Realtime;

/// <summary>
/// A live connection opened with a token lives only as long as the token: 30 s before it expires the
/// client gets <c>{"type":"token-expiring","expiresAt":…}</c>, may send
/// <c>{"type":"auth","token":"…"}</c> with a fresh one, and is closed with 4401 at expiry otherwise.
/// </summary>
public sealed class TokenLease(DateTimeOffset expiresAt, TimeProvider time)
{
    public static readonly TimeSpan Warning = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private CancellationTokenSource _renewed = new();

    public DateTimeOffset ExpiresAt { get; private set; } = expiresAt;

    /// <summary>The lease of a token-authenticated request; null for keys and anonymous callers, which do not expire.</summary>
    public static TokenLease? For(ClaimsPrincipal user, TimeProvider time) =>
        user.FindFirst(TokenIssuer.ExpiresClaimType)?.Value is { } exp && long.TryParse(exp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? new TokenLease(DateTimeOffset.FromUnixTimeSeconds(seconds), time)
            : null;

    public void Renew(DateTimeOffset expiresAt)
    {
        CancellationTokenSource old;
        lock (_gate)
        {
            ExpiresAt = expiresAt;
            old = _renewed;
            _renewed = new CancellationTokenSource();
        }
        old.Cancel();
        old.Dispose();
    }

    /// <summary>Completes when the token has expired without a renewal; warns through <paramref name="warn"/> first.</summary>
    public async Task ExpiredAsync(Action<DateTimeOffset> warn, CancellationToken ct)
    {
        while (true)
        {
            CancellationToken renewed;
            DateTimeOffset expires;
            lock (_gate)
            {
                renewed = _renewed.Token;
                expires = ExpiresAt;
            }
            using var either = CancellationTokenSource.CreateLinkedTokenSource(ct, renewed);
            try
            {
                await DelayUntil(expires - Warning, either.Token);
                warn(expires);
                await DelayUntil(expires, either.Token);
                return;
            }
            catch (OperationCanceledException) when (renewed.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                // A fresh token arrived: wait for its expiry instead.
            }
        }
    }

    private Task DelayUntil(DateTimeOffset at, CancellationToken ct)
    {
        var wait = at - time.GetUtcNow();
        return wait > TimeSpan.Zero ? Task.Delay(wait, time, ct) : Task.CompletedTask;
    }
}
