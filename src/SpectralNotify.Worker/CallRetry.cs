using System.Net;
using Microsoft.Extensions.Logging;
using SpectralNotify.Client;

namespace SpectralNotify.Worker;

/// <summary>
/// Tries one logical call until the server answers it: no answer at all (unreachable, a restart, a
/// connection cut mid-answer) and answers that ask to be tried again (5xx, 408, 429, any answer with
/// <c>Retry-After</c> such as the 409 of an <c>Idempotency-Key</c> still in flight) are retried with
/// capped, jittered exponential backoff. The caller passes the same <c>Idempotency-Key</c> on every
/// try, so a write that committed before its answer was lost is answered from the first time.
/// Any other answer (4xx) is thrown to the caller; so is the caller's cancellation.
/// </summary>
internal sealed class CallRetry(SpectralWorkerOptions options, ILogger log)
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(250);

    public async Task<T> RunAsync<T>(string what, Func<CancellationToken, Task<T>> call, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await call(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (!ct.IsCancellationRequested && IsTransient(e, out var asked))
            {
                var delay = Delay(attempt, asked);
                if (attempt % 10 == 0)
                {
                    log.LogWarning("{What}: {Reason}; trying again in {Delay} ms (try {Try})", what, e.Message, (int)delay.TotalMilliseconds, attempt + 1);
                }
                await Task.Delay(delay, ct).ConfigureAwait(false);
            }
        }
    }

    public Task RunAsync(string what, Func<CancellationToken, Task> call, CancellationToken ct) =>
        RunAsync(what, async c => { await call(c).ConfigureAwait(false); return true; }, ct);

    /// <summary>Whether another try may get a different answer; <paramref name="retryAfter"/> is what the server asked for.</summary>
    internal static bool IsTransient(Exception e, out TimeSpan? retryAfter)
    {
        retryAfter = null;
        switch (e)
        {
            case SpectralNetworkException:
                return true;
            case SpectralApiException api:
                retryAfter = api.RetryAfter;
                var status = (int)api.StatusCode;
                return status >= 500 || api.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || api.RetryAfter is not null;
            default:
                return false;
        }
    }

    /// <summary>Full jitter over an exponential cap (half to all of it), never shorter than what the server asked for.</summary>
    private TimeSpan Delay(int attempt, TimeSpan? asked)
    {
        var cap = Math.Min(options.MaxRetryDelay.TotalMilliseconds, FirstDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30)));
        var backoff = TimeSpan.FromMilliseconds(cap * (0.5 + (Random.Shared.NextDouble() / 2)));
        return asked is { } a && a > backoff ? a : backoff;
    }
}
