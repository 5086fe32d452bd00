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

    /// <summary>
    /// The writer connection's page cache (<c>PRAGMA cache_size</c>), in MiB. Defaults to 64. SQLite's
    /// own default, 2 MiB, is smaller than the pages a busy writer touches again and again (every active
    /// task's row and index entries, the leaf page of each task's events in the <c>(task_id, seq)</c>
    /// index), so each write read them back from the OS with a system call; with 1,000 active tasks
    /// 64 MiB wrote about 10 % more changes per second (docs/benchmarks.md, "Issue 14, eighth round").
    /// It is memory the process may use, not memory it takes at start.
    /// </summary>
    public int CacheMiB { get; set; } = 64;

    /// <summary>
    /// WAL pages after which a commit also checkpoints (<c>PRAGMA wal_autocheckpoint</c>). Defaults to
    /// 10,000 (about 40 MiB of WAL), against SQLite's 1,000. A checkpoint copies the newest version of
    /// each page in the WAL into the database file, on the writer's thread; a busy writer rewrites the
    /// same pages (task rows, their index entries) in commit after commit, so a longer WAL copies each of
    /// them once where the short one copied it every few commits. With 1,000 active tasks that measured
    /// 11–41 % more changes per second at the writer's limit (docs/benchmarks.md, "Issue 14, eighth round").
    /// </summary>
    public int CheckpointPages { get; set; } = 10_000;

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
