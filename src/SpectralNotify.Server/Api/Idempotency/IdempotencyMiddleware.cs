using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.Features;
using SpectralNotify.Idempotency;
using SpectralNotify.Server.Auth;
using SpectralNotify.Server.Hosting;
using SpectralNotify.Storage;

namespace SpectralNotify.Server.Api.Idempotency;

/// <summary>
/// <c>Idempotency-Key</c> on any POST route under <c>/api/v1</c>: the first request with a key runs and its
/// answer is stored for 24 h; a retry with the same key and body gets that answer back with
/// <c>Idempotent-Replayed: true</c> and writes nothing; the same key with another body is a 422; a
/// retry while the first is still running is a 409. Keys are scoped by method, path and caller, so
/// one client's key never collides with another's or with another endpoint.
/// </summary>
/// <remarks>
/// It runs after routing and authorization, and only for a matched POST endpoint: a request to no
/// route (404) or with a method the route does not take (405) stores nothing, and neither does one
/// the authorization middleware refused (401, 403), since that answers before this runs. Otherwise
/// any client could fill the table with rows by posting keys to made-up paths.
/// The claim is a row written before the handler runs (one claimant wins, even across nodes).
/// 5xx answers and exceptions release the claim so the client can retry; 2xx–4xx answers are
/// stored and replayed, as with any idempotent API. The 409 "in progress" carries
/// <c>Retry-After</c>. A claim left by a crashed process is released when the node starts again
/// (SQLite: always; PostgreSQL: under the same <c>Spectral:NodeId</c>), otherwise taken over after
/// <see cref="InFlightTimeout"/>. Either way the retry runs the request again: if the crash came
/// after its write committed but before its answer was stored, that write is applied twice.
/// </remarks>
public sealed class IdempotencyMiddleware(RequestDelegate next, IStore store, TimeProvider time, SpectralOptions options,
    ILogger<IdempotencyMiddleware> log)
{
    public const string HeaderName = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    private static readonly TimeSpan InFlightTimeout = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Requests without a key pass straight through, without an async frame of their own: long-lived
    /// WebSocket and SSE requests would otherwise keep one alive per connection.
    /// </summary>
    public Task InvokeAsync(HttpContext http) =>
        HttpMethods.IsPost(http.Request.Method)
            && http.Request.Path.StartsWithSegments("/api/v1", StringComparison.Ordinal)
            && MatchedPost(http.GetEndpoint())
            && http.Request.Headers.TryGetValue(HeaderName, out var keyValues)
            ? HandleAsync(http, keyValues.ToString())
            : next(http);

    /// <summary>A route endpoint that takes POST (not the framework's 405 endpoint, not an unmatched path).</summary>
    private static bool MatchedPost(Endpoint? endpoint) =>
        endpoint?.Metadata.GetMetadata<IHttpMethodMetadata>() is { } methods && methods.HttpMethods.Any(HttpMethods.IsPost);

    /// <summary>What keys are scoped by: one caller's key never collides with another's or with another endpoint.</summary>
    private static string Scope(HttpContext http) => $"{http.Request.Method} {http.Request.Path} {http.User.CacheScope()}";

    private async Task HandleAsync(HttpContext http, string key)
    {
        if (http.GetEndpoint()?.Metadata.GetMetadata<SecretAnswer>() is not null)
        {
            // A stored answer would keep the secret in the database for the replay window and show it again.
            await Problem(http, 400, "Idempotency-Key not accepted here",
                "Idempotency-Key is not accepted on this route: its answer holds a secret that is shown once and never stored.");
            return;
        }
        if (key.Length is 0 or > V1.Limits.MaxIdempotencyKeyLength)
        {
            await Problem(http, 400, "Invalid Idempotency-Key", $"Idempotency-Key must be 1 to {V1.Limits.MaxIdempotencyKeyLength} characters.");
            return;
        }
        http.Request.EnableBuffering(bufferThreshold: 64 * 1024, bufferLimit: V1.Limits.MaxBodyBytes);
        byte[] hash;
        try
        {
            hash = await SHA256.HashDataAsync(http.Request.Body, http.RequestAborted);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == 413)
        {
            await Problem(http, 413, "Request body too large", $"The request body exceeds the limit of {V1.Limits.MaxBodyBytes} bytes (1 MiB).");
            return;
        }
        http.Request.Body.Position = 0;
        var scope = Scope(http);
        var now = time.GetUtcNow();
        var claim = await store.IdempotencyBeginAsync(new IdempotencyBeginParams(
            scope, key, Convert.ToHexString(hash), now, now + options.IdempotencyRetention, InFlightTimeout, options.NodeId), http.RequestAborted);
        switch (claim.Outcome)
        {
            case IdempotencyOutcome.Completed:
                http.Response.StatusCode = claim.StatusCode;
                http.Response.Headers[ReplayedHeader] = "true";
                if (claim.ContentType is not null) { http.Response.ContentType = claim.ContentType; }
                if (claim.Location is not null) { http.Response.Headers.Location = claim.Location; }
                if (claim.ETag is not null) { http.Response.Headers.ETag = claim.ETag; }
                await http.Response.Body.WriteAsync(claim.Body ?? [], http.RequestAborted);
                return;
            case IdempotencyOutcome.InFlight:
                http.Response.Headers.RetryAfter = "1";
                await Problem(http, 409, "Request in progress", "A request with this Idempotency-Key is still being processed; retry after it finishes.");
                return;
            case IdempotencyOutcome.Mismatch:
                await Problem(http, 422, "Idempotency-Key reused", "This Idempotency-Key was already used with a different request body.");
                return;
        }
        await RunAndStoreAsync(http, scope, key);
    }

    private async Task RunAndStoreAsync(HttpContext http, string scope, string key)
    {
        var original = http.Response.Body;
        using var capture = new MemoryStream();
        http.Response.Body = capture;
        var stored = false;
        var storeDown = false;
        try
        {
            try
            {
                await next(http);
            }
            catch (SpectralNotify.Storage.StoreUnavailableException unknown) when (unknown.OutcomeUnknown)
            {
                // The write may have been applied: keep the claim so a retry cannot apply it twice
                // (409 in progress), and once the database is back store an answer that says so.
                stored = true;
                _ = IdempotencyRetry.StoreLaterAsync(() => store.IdempotencyCompleteAsync(new IdempotencyCompleteParams(scope, key, 409,
                    "application/problem+json", null, OutcomeUnknownBody, null), CancellationToken.None), time, log, key);
                throw;
            }
            catch (SpectralNotify.Storage.StoreUnavailableException)
            {
                storeDown = true;
                throw;
            }
            catch (Exception ex) when (Problems.Map(ex).Status is >= 400 and < 500 && !http.Response.HasStarted)
            {
                // A refused request (404, 409, 412 …) is an answer like any other: store it so a retry replays it.
                var (status, title, detail, extensions) = Problems.Map(ex);
                http.Response.Clear();
                await WriteProblemAsync(http, status, title, detail, extensions);
            }
            if (http.Response.StatusCode < 500)
            {
                // From here on the request's outcome stands: the claim is kept even if its answer cannot be
                // stored (the database just went away), so a retry is refused as in progress, never re-run.
                stored = true;
                try
                {
                    await store.IdempotencyCompleteAsync(new IdempotencyCompleteParams(scope, key, http.Response.StatusCode,
                        http.Response.ContentType, http.Response.Headers.Location.ToString() is { Length: > 0 } l ? l : null,
                        capture.ToArray(), http.Response.Headers.ETag.ToString() is { Length: > 0 } e ? e : null), CancellationToken.None);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    log.LogWarning(ex, "Could not store the answer of Idempotency-Key {Key}; answering anyway, keeping its claim and storing it later", key);
                    var answer = new IdempotencyCompleteParams(scope, key, http.Response.StatusCode, http.Response.ContentType,
                        http.Response.Headers.Location.ToString() is { Length: > 0 } l2 ? l2 : null, capture.ToArray(),
                        http.Response.Headers.ETag.ToString() is { Length: > 0 } e2 ? e2 : null);
                    _ = IdempotencyRetry.StoreLaterAsync(() => store.IdempotencyCompleteAsync(answer, CancellationToken.None), time, log, key);
                }
            }
        }
        finally
        {
            http.Response.Body = original;
            if (!stored)
            {
                // With the database down the release would wait a second write timeout before the
                // client hears its 503: it then goes on in the background after a short wait (a retry
                // that arrives before it lands gets 409 in progress).
                var release = ReleaseAsync(scope, key);
                await (storeDown ? Task.WhenAny(release, Task.Delay(TimeSpan.FromSeconds(1), time)) : release);
            }
        }
        capture.Position = 0;
        await capture.CopyToAsync(original, http.RequestAborted);
    }

    /// <summary>What a retry replays when the original request's COMMIT lost its answer.</summary>
    private static readonly byte[] OutcomeUnknownBody = System.Text.Encoding.UTF8.GetBytes("""
        {"title":"Outcome unknown","status":409,"detail":"The database connection was lost while the request with this Idempotency-Key committed: it may or may not have been applied. Check the resource before sending it again with a new key."}
        """);

    private async Task ReleaseAsync(string scope, string key)
    {
        try
        {
            await store.IdempotencyReleaseAsync(scope, key, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The claim expires after the in-flight timeout; the request's own error is what the client needs.
            log.LogWarning(ex, "Could not release Idempotency-Key {Key}", key);
        }
    }

    private static Task Problem(HttpContext http, int status, string title, string detail) =>
        WriteProblemAsync(http, status, title, detail, []);

    private static Task WriteProblemAsync(HttpContext http, int status, string title, string detail, Dictionary<string, object?> extensions) =>
        Problems.WriteAsync(http, status, title, detail, extensions);
}
