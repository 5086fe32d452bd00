namespace SpectralNotify.Worker;

/// <summary>
/// Where the server is, which queues to work and how: bound by <c>AddSpectralNotifyWorker</c>.
/// Every duration has a default that suits runs of seconds to hours.
/// </summary>
public sealed class SpectralWorkerOptions
{
    /// <summary>The server's base address, e.g. <c>http://127.0.0.1:8094</c>. Required.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>An API key with write scope on runs and tasks, sent as <c>X-API-Key</c>.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Called before every call when <see cref="ApiKey"/> is null: returns a short-lived token, or null.</summary>
    public Func<CancellationToken, ValueTask<string?>>? AccessTokenProvider { get; set; }

    /// <summary>
    /// The queues to claim from, each with how many attempts of it may run at once on this worker.
    /// Empty means the <c>default</c> queue with one attempt per processor.
    /// </summary>
    public IDictionary<string, int> Queues { get; } = new Dictionary<string, int>(StringComparer.Ordinal);

    /// <summary>
    /// The worker's name as the server records it on each run (<c>workerId</c>, and in the task's
    /// <c>Attempt N started by …</c> event). Defaults to <c>host-pid</c>.
    /// </summary>
    public string WorkerId { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>
    /// How long a claim leases a run (5 s to 1 h; default 30 s); heartbeats renew it every third of it.
    /// If this worker dies, its runs wait this long before another worker may retry them.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one claim waits on the server for work (long poll; 0 to 30 s; default 20 s).</summary>
    public TimeSpan ClaimWait { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// On shutdown, how long running attempts get to finish (default 10 s). Then their token fires and
    /// each is reported failed with <c>interrupted by shutdown</c>, to be retried at once by another worker.
    /// Keep the host's <c>HostOptions.ShutdownTimeout</c> (30 s by default) above this plus a few seconds,
    /// so the interrupted attempts have time to report.
    /// </summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one call (other than a claim) may take before it is tried again (default 30 s).</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait between two tries of a call the server did not answer (default 10 s; backoff starts at 250 ms).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The queues and their concurrency, with the default applied.</summary>
    internal IReadOnlyDictionary<string, int> EffectiveQueues =>
        Queues.Count > 0 ? new Dictionary<string, int>(Queues, StringComparer.Ordinal)
            : new Dictionary<string, int> { ["default"] = Environment.ProcessorCount };

    /// <summary>Throws when the options cannot work, naming the setting.</summary>
    public void Validate()
    {
        if (BaseAddress is null || !BaseAddress.IsAbsoluteUri || (BaseAddress.Scheme != Uri.UriSchemeHttp && BaseAddress.Scheme != Uri.UriSchemeHttps))
        {
            throw new InvalidOperationException($"SpectralWorkerOptions.BaseAddress must be an absolute http(s) URI (e.g. http://127.0.0.1:8094), not '{BaseAddress}'.");
        }
        if (ApiKey is not null && string.IsNullOrWhiteSpace(ApiKey))
        {
            throw new InvalidOperationException("SpectralWorkerOptions.ApiKey is empty; set a key with write scope, or leave it null and set AccessTokenProvider.");
        }
        if (string.IsNullOrWhiteSpace(WorkerId) || WorkerId.Length > 200)
        {
            throw new InvalidOperationException("SpectralWorkerOptions.WorkerId must be 1 to 200 characters.");
        }
        foreach (var (queue, concurrency) in Queues)
        {
            if (string.IsNullOrWhiteSpace(queue) || queue.Length > 100)
            {
                throw new InvalidOperationException($"SpectralWorkerOptions.Queues: queue name '{queue}' must be 1 to 100 characters.");
            }
            if (concurrency is < 1 or > 100)
            {
                throw new InvalidOperationException($"SpectralWorkerOptions.Queues[\"{queue}\"] is {concurrency}; concurrency must be 1 to 100.");
            }
        }
        if (LeaseDuration < TimeSpan.FromSeconds(5) || LeaseDuration > TimeSpan.FromHours(1))
        {
            throw new InvalidOperationException($"SpectralWorkerOptions.LeaseDuration is {LeaseDuration}; it must be 5 s to 1 h.");
        }
        if (ClaimWait < TimeSpan.Zero || ClaimWait > TimeSpan.FromSeconds(30))
        {
            throw new InvalidOperationException($"SpectralWorkerOptions.ClaimWait is {ClaimWait}; it must be 0 to 30 s.");
        }
        if (DrainTimeout < TimeSpan.Zero || CallTimeout <= TimeSpan.Zero || MaxRetryDelay <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("SpectralWorkerOptions: DrainTimeout must not be negative; CallTimeout and MaxRetryDelay must be positive.");
        }
    }
}
