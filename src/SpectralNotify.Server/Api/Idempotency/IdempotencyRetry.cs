namespace SpectralNotify.Server.Api.Idempotency;

/// <summary>
/// Stores an idempotency answer that could not be stored with its request (the database had just
/// gone away), retrying in the background: until it lands, the key's claim stays in flight and
/// retries get 409; once it lands, they get the answer. It must land before the claim's in-flight
/// time ends, after which a retry would take the claim over and run the request again.
/// </summary>
public static class IdempotencyRetry
{
    /// <summary>How long the background attempts go on: within the 2-minute in-flight time, with a margin.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(100);

    public static async Task StoreLaterAsync(Func<Task> store, TimeProvider time, ILogger log, string key)
    {
        var started = time.GetTimestamp();
        var wait = TimeSpan.FromSeconds(1);
        while (true)
        {
            await Task.Delay(wait, time);
            try
            {
                await store();
                log.LogInformation("Stored the answer of Idempotency-Key {Key} after the database came back", key);
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                if (time.GetElapsedTime(started) + wait > Window)
                {
                    log.LogWarning(ex, "Gave up storing the answer of Idempotency-Key {Key}; a retry after its claim expires runs it again", key);
                    return;
                }
                wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
    }
}
