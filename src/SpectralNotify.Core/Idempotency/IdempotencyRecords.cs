namespace SpectralNotify.Idempotency;

/// <param name="Scope">Method, route and caller: the same key on another endpoint or from another caller is another key.</param>
/// <param name="RequestHash">SHA-256 of the request body, to tell a retry from a different request.</param>
/// <param name="Holder">The node (<c>Spectral:NodeId</c>) running the request: a node that starts again under the same id releases what its previous process held.</param>
public sealed record IdempotencyBeginParams(string Scope, string Key, string RequestHash, DateTimeOffset Now, DateTimeOffset ExpiresAt, TimeSpan InFlightTimeout,
    string Holder);

/// <param name="ETag">The answer's ETag header, replayed with it.</param>
public sealed record IdempotencyCompleteParams(string Scope, string Key, int StatusCode, string? ContentType, string? Location, byte[] Body, string? ETag = null);

public enum IdempotencyOutcome
{
    /// <summary>The caller owns the key now and must complete or release it.</summary>
    Claimed,
    /// <summary>A finished answer is stored; replay it.</summary>
    Completed,
    /// <summary>The same key is being processed by another request.</summary>
    InFlight,
    /// <summary>The key was used with a different body.</summary>
    Mismatch,
}

/// <param name="CreatedAt">When the stored answer's request was claimed (the reference's <c>cachedAt</c>).</param>
public sealed record IdempotencyClaim(IdempotencyOutcome Outcome, int StatusCode = 0, string? ContentType = null, string? Location = null, byte[]? Body = null,
    string? ETag = null, DateTimeOffset? CreatedAt = null);
