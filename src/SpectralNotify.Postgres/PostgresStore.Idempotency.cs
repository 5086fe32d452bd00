using SpectralNotify.Idempotency;

namespace SpectralNotify.Postgres;

public sealed partial class PostgresStore
{
    public async Task<IdempotencyClaim> IdempotencyBeginAsync(IdempotencyBeginParams p, CancellationToken ct)
    {
        // Claim and read in one round trip and one implicit transaction. When the claim takes the
        // row, its row count says so and the read is ignored. When it does not, ON CONFLICT has locked
        // the row until this batch ends, so the read sees exactly the row that refused the claim.
        await using var batch = _dataSource.CreateBatch();
        var claim = batch.CreateBatchCommand();
        claim.CommandText = Sql["IdempotencyClaim"];
        claim.Parameters.With("scope", p.Scope).With("key", p.Key).With("request_hash", p.RequestHash)
            .With("now", p.Now).With("expires_at", p.ExpiresAt).With("stale_before", p.Now - p.InFlightTimeout).With("holder", p.Holder);
        batch.BatchCommands.Add(claim);
        var get = batch.CreateBatchCommand();
        get.CommandText = Sql["IdempotencyGet"];
        get.Parameters.With("scope", p.Scope).With("key", p.Key);
        batch.BatchCommands.Add(get);

        await using var r = await batch.ExecuteReaderAsync(ct);
        // The reader starts at IdempotencyGet's rows (the INSERT has no result set), after the
        // INSERT has completed, so its row count is known.
        if (claim.RecordsAffected == 1)
        {
            return new IdempotencyClaim(IdempotencyOutcome.Claimed);
        }
        if (!await r.ReadAsync(ct))
        {
            throw new InvalidOperationException("Idempotency key vanished while locked.");
        }
        if (r.GetString(0) != p.RequestHash)
        {
            return new IdempotencyClaim(IdempotencyOutcome.Mismatch);
        }
        if (r.GetString(1) == "in_flight")
        {
            return new IdempotencyClaim(IdempotencyOutcome.InFlight);
        }
        return new IdempotencyClaim(IdempotencyOutcome.Completed, r.GetInt32(2), PostgresRows.Str(r, 3), PostgresRows.Str(r, 4),
            r.IsDBNull(5) ? [] : r.GetFieldValue<byte[]>(5), PostgresRows.Str(r, 8), PostgresRows.Time(r, 6));
    }

    public async Task IdempotencyCompleteAsync(IdempotencyCompleteParams p, CancellationToken ct)
    {
        await using var cmd = Command(Sql["IdempotencyComplete"]);
        cmd.Parameters.With("scope", p.Scope).With("key", p.Key).With("status_code", p.StatusCode)
            .With("content_type", p.ContentType).With("location", p.Location).With("etag", p.ETag).With("body", p.Body);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task<int> IdempotencyReleaseOrphansAsync(string holder, CancellationToken ct)
    {
        await using var cmd = Command(Sql["IdempotencyReleaseOrphans"]);
        cmd.Parameters.With("holder", holder);
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task IdempotencyReleaseAsync(string scope, string key, CancellationToken ct)
    {
        await using var cmd = Command(Sql["IdempotencyRelease"]);
        cmd.Parameters.With("scope", scope).With("key", key);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task<int> IdempotencyDeleteExpiredAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var cmd = Command(Sql["IdempotencyDeleteExpired"]);
        cmd.Parameters.With("now", now);
        return await cmd.ExecuteNonQueryAsync(ct);
    }
}
