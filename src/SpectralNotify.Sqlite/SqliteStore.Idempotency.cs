using SpectralNotify.Idempotency;

namespace SpectralNotify.Sqlite;

public sealed partial class SqliteStore
{
    public Task<IdempotencyClaim> IdempotencyBeginAsync(IdempotencyBeginParams p, CancellationToken ct) =>
        _writer.RunAsync(w =>
        {
            var claimed = w.Command(Sql["IdempotencyClaim"])
                .With("@scope", p.Scope).With("@key", p.Key).With("@request_hash", p.RequestHash)
                .With("@now", Clock.Truncate(p.Now)).With("@expires_at", Clock.Truncate(p.ExpiresAt))
                .With("@stale_before", Clock.Truncate(p.Now - p.InFlightTimeout)).With("@holder", p.Holder)
                .ExecuteNonQuery() == 1;
            if (claimed)
            {
                return new IdempotencyClaim(IdempotencyOutcome.Claimed);
            }
            using var r = w.Command(Sql["IdempotencyGet"]).With("@scope", p.Scope).With("@key", p.Key).ExecuteReader();
            if (!r.Read())
            {
                throw new InvalidOperationException("Idempotency key vanished inside the writer.");
            }
            if (r.GetString(0) != p.RequestHash)
            {
                return new IdempotencyClaim(IdempotencyOutcome.Mismatch);
            }
            if (r.GetString(1) == "in_flight")
            {
                return new IdempotencyClaim(IdempotencyOutcome.InFlight);
            }
            return new IdempotencyClaim(IdempotencyOutcome.Completed, r.GetInt32(2), SqliteRows.Str(r, 3), SqliteRows.Str(r, 4),
                r.IsDBNull(5) ? [] : (byte[])r.GetValue(5), SqliteRows.Str(r, 8), SqliteRows.Time(r, 6));
        }, ct);

    public Task IdempotencyCompleteAsync(IdempotencyCompleteParams p, CancellationToken ct) =>
        _writer.RunAsync(w => w.Command(Sql["IdempotencyComplete"])
            .With("@scope", p.Scope).With("@key", p.Key).With("@status_code", p.StatusCode)
            .With("@content_type", p.ContentType).With("@location", p.Location).With("@etag", p.ETag).With("@body", p.Body)
            .ExecuteNonQuery(), ct);

    public Task IdempotencyReleaseAsync(string scope, string key, CancellationToken ct) =>
        _writer.RunAsync(w => w.Command(Sql["IdempotencyRelease"]).With("@scope", scope).With("@key", key).ExecuteNonQuery(), ct);

    public Task<int> IdempotencyReleaseOrphansAsync(string holder, CancellationToken ct) =>
        _writer.RunAsync(w => w.Command(Sql["IdempotencyReleaseOrphans"]).ExecuteNonQuery(), ct);

    public Task<int> IdempotencyDeleteExpiredAsync(DateTimeOffset now, CancellationToken ct) =>
        _writer.RunAsync(w => w.Command(Sql["IdempotencyDeleteExpired"]).With("@now", Clock.Truncate(now)).ExecuteNonQuery(), ct);
}
