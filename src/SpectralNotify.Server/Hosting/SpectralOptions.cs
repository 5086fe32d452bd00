namespace SpectralNotify.Server.Hosting;

/// <summary>Server settings, bound from the <c>Spectral</c> configuration section and checked at start by <see cref="SpectralOptionsValidator"/>.</summary>
public sealed class SpectralOptions
{
    /// <summary>Outgoing messages buffered per live connection before it is closed as too slow. Defaults to 4,096.</summary>
    public int SubscriberQueueCapacity { get; set; } = 4096;

    /// <summary>
    /// Payload bytes buffered per live connection before it is closed as too slow, like
    /// <see cref="SubscriberQueueCapacity"/> (close 4008 with the resume point). A message is always
    /// taken into an empty queue, whatever its size. Defaults to 1 MiB.
    /// </summary>
    public int SubscriberQueueBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Live connections (WebSocket and SSE) this node serves at once; more are refused with 503 and
    /// <c>Retry-After</c>. Kestrel's upgraded-connection limit is set above it. Defaults to 10,000.
    /// </summary>
    public int MaxLiveConnections { get; set; } = 10_000;

    /// <summary>Live connections one client IP address may hold at once on this node; more get 503. Defaults to 200.</summary>
    public int MaxLiveConnectionsPerIp { get; set; } = 200;

    /// <summary>Subscriptions one protocol-v2 connection (<c>/api/v1/live</c>) may hold at once; more are refused per subscription. Defaults to 100.</summary>
    public int LiveMaxSubscriptions { get; set; } = 100;

    /// <summary>A protocol-v2 connection that has sent nothing for this long sends a <c>heartbeat</c>, so clients detect dead links. Defaults to 15 seconds.</summary>
    public TimeSpan LiveHeartbeat { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How far back a live list can be resumed from its cursor: deletions are remembered this long
    /// (then pruned by the expiry sweep). An older cursor gets <c>must-refetch</c>. Defaults to 24 hours.
    /// </summary>
    public TimeSpan LiveListHistory { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often live sessions record a heartbeat. Defaults to 30 seconds.</summary>
    public TimeSpan SessionHeartbeatInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Sessions silent for longer are marked inactive (their node died). Defaults to 2 minutes.</summary>
    public TimeSpan SessionStaleAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Ended sessions are deleted this long after they ended, by the expiry sweep. Defaults to 24 hours.</summary>
    public TimeSpan SessionRetention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often expired tasks, idempotency keys and ended sessions are removed. Defaults to 30 seconds.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Apply pending migrations at start-up. Defaults to true.</summary>
    public bool AutoMigrate { get; set; } = true;

    /// <summary>This process's id in sessions and notifications. Defaults to the host name plus a random suffix.</summary>
    public string NodeId { get; set; } = $"{Environment.MachineName}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Idempotency keys are kept this long. Defaults to 24 hours.</summary>
    public TimeSpan IdempotencyRetention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>SQLite <c>PRAGMA synchronous</c>. Defaults to FULL.</summary>
    public string SqliteSynchronous { get; set; } = "FULL";

    /// <summary>The SQLite writer's page cache in MiB (<c>PRAGMA cache_size</c>). Defaults to 64.</summary>
    public int SqliteCacheMiB { get; set; } = 64;

    /// <summary>WAL pages after which a SQLite commit checkpoints (<c>PRAGMA wal_autocheckpoint</c>). Defaults to 10,000.</summary>
    public int SqliteCheckpointPages { get; set; } = 10_000;

    /// <summary>How often the job scheduler fires due schedules and fails runs whose lease ran out. Defaults to 250 ms.</summary>
    public TimeSpan SchedulerInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long a write may wait for the storage engine before it fails. Defaults to 5 seconds.</summary>
    public TimeSpan WriteTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// At start, how long to keep retrying an unreachable PostgreSQL (0.5 s, doubling to 5 s between
    /// attempts) before giving up: in docker-compose the database often starts after the server.
    /// Zero tries once. Defaults to 30 seconds. Not used with SQLite.
    /// </summary>
    public TimeSpan DatabaseConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
