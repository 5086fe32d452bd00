using SpectralNotify.Idempotency;

namespace SpectralNotify.Storage;

/// <summary>Stored answers of requests sent with an Idempotency-Key. Part of <see cref="IStore"/>.</summary>
public interface IIdempotencyStore
{
    /// <summary>Claims (scope, key) for a request, or reports what is already stored under it.</summary>
    Task<IdempotencyClaim> IdempotencyBeginAsync(IdempotencyBeginParams p, CancellationToken ct);

    /// <summary>Stores the answer for a claimed key so later duplicates replay it.</summary>
    Task IdempotencyCompleteAsync(IdempotencyCompleteParams p, CancellationToken ct);

    Task<int> IdempotencyDeleteExpiredAsync(DateTimeOffset now, CancellationToken ct);

    /// <summary>
    /// At start, releases the in-flight claims a previous process of this node left when it died, so
    /// a client retrying the interrupted request is answered at once instead of "in progress" until
    /// the in-flight timeout. SQLite (one process per file): every in-flight claim. PostgreSQL: those
    /// held under <paramref name="holder"/>; another node's are taken over after the timeout.
    /// </summary>
    Task<int> IdempotencyReleaseOrphansAsync(string holder, CancellationToken ct);

    /// <summary>Releases a claim whose request failed so a retry can run it.</summary>
    Task IdempotencyReleaseAsync(string scope, string key, CancellationToken ct);
}
