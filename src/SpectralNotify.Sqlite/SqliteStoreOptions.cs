namespace SpectralNotify.Sqlite;

/// <summary>Settings of the SQLite engine.</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>Path of the database file; its folder is created when missing. Defaults to <c>./data/spectral.db</c>.</summary>
    public string Path { get; set; } = "./data/spectral.db";

    /// <summary>
    /// <c>PRAGMA synchronous</c>. Defaults to <c>FULL</c>: every commit is fsynced, so an
    /// acknowledged write survives power loss. Group commit keeps that affordable. <c>NORMAL</c>
    /// survives process crashes only.
    /// </summary>
    public string Synchronous { get; set; } = "FULL";

    /// <summary>Most write requests committed in one transaction by the writer loop. Defaults to 256.</summary>
    public int MaxBatch { get; set; } = 256;

    /// <summary>
    /// How long the writer keeps adding queued requests to an open transaction before it commits
    /// (the request it is running finishes first). Defaults to 20 ms. Without a bound, a queue of
    /// batch requests (250 operations each) grew transactions to thousands of writes, each answered
    /// and broadcast only when its whole group committed: at 10k writes/s, p99 626 ms from a write
    /// being applied to its delivery, 61 ms with the bound (docs/benchmarks.md). The price is paid only
    /// past the writer's capacity: fewer writes per fsync, about 20 % less peak throughput there.
    /// </summary>
    public TimeSpan MaxBatchTime { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// How long a write may wait to be taken by the writer (a held lock, a full queue) before it fails
    /// with <see cref="Storage.StoreUnavailableException"/> and nothing written. Defaults to 5 seconds.
    /// </summary>
    public TimeSpan WriteTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Pending write requests before callers wait. Defaults to 10,000.</summary>
    public int QueueCapacity { get; set; } = 10_000;
}
