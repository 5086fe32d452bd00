using System.Collections.Concurrent;
using SpectralNotify.Server.Hosting;
using SpectralNotify.Idempotency;
using SpectralNotify.Storage;

namespace SpectralNotify.Server.Api.Compat;

/// <summary>
/// The reference's idempotency (protocol §4.1) on the 12 compatible mutations: the first request with
/// a key runs and its output is kept for 24 h; a repeat returns that output with
/// <c>__idempotency.cached = true</c> and runs nothing (no write, no broadcast), whatever its body.
/// Beyond the reference: keys are scoped by procedure and caller, and a duplicate that arrives
/// while the first is still running waits for it and replays its answer instead of running twice.
/// Failed requests are not kept, so a retry runs again.
/// </summary>
public sealed class CompatIdempotency(IStore store, TimeProvider time, SpectralOptions options)
{
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);
    private static readonly TimeSpan InFlightTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    // The reference replays whatever the new body is, so every request under one key hashes the same.
    private const string AnyBody = "*";

    private readonly ConcurrentDictionary<string, TaskCompletionSource> _finished = new();

    public static string Scope(string procedure, string caller) => $"compat {procedure} {caller}";

    /// <summary>Claims the key, or returns the stored answer; waits while another request holds it.</summary>
    public async Task<IdempotencyClaim> BeginAsync(string scope, string key, CancellationToken ct)
    {
        var deadline = time.GetUtcNow() + MaxWait;
        while (true)
        {
            var now = time.GetUtcNow();
            var claim = await store.IdempotencyBeginAsync(new IdempotencyBeginParams(scope, key, AnyBody, now, now + Retention, InFlightTimeout, options.NodeId), ct);
            if (claim.Outcome != IdempotencyOutcome.InFlight)
            {
                return claim;
            }
            if (now >= deadline)
            {
                throw new CompatError(409, "CONFLICT", "A request with this Idempotency-Key is still being processed; retry after it finishes.");
            }
            // Woken at once when the holder finishes on this node; polling covers a holder on another node.
            var signal = _finished.GetOrAdd(scope + "\n" + key, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            await Task.WhenAny(signal.Task, Task.Delay(Poll, time, ct));
            ct.ThrowIfCancellationRequested();
        }
    }

    public async Task CompleteAsync(string scope, string key, byte[] output)
    {
        await store.IdempotencyCompleteAsync(new IdempotencyCompleteParams(scope, key, 200, "application/json", null, output), CancellationToken.None);
        Wake(scope, key);
    }

    public async Task ReleaseAsync(string scope, string key)
    {
        await store.IdempotencyReleaseAsync(scope, key, CancellationToken.None);
        Wake(scope, key);
    }

    private void Wake(string scope, string key)
    {
        if (_finished.TryRemove(scope + "\n" + key, out var signal))
        {
            signal.TrySetResult();
        }
    }
}
