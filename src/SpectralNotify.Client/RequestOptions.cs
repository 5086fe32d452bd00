namespace SpectralNotify.Client;

/// <summary>Per-call headers: an explicit <c>Idempotency-Key</c>, an <c>If-Match</c> version.</summary>
public sealed record RequestOptions
{
    /// <summary>Replays the first answer for 24 h instead of writing twice (POST routes). When null on a POST, one is generated unless <see cref="SpectralClientOptions.AutomaticIdempotencyKeys"/> is off.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>The version the write expects (<c>If-Match</c>); the server answers 412 when the entity changed.</summary>
    public string? IfMatch { get; init; }

    /// <summary>
    /// Set by the client on routes that refuse an <c>Idempotency-Key</c> (their answer holds a secret:
    /// <c>POST /api/v1/keys</c>, <c>/tokens</c>, or a create that asks for a token), so none is generated.
    /// </summary>
    internal bool NoAutomaticKey { get; init; }
}
