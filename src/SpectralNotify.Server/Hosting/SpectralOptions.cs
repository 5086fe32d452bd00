namespace SpectralNotify.Server.Hosting;

/// <summary>Server settings, bound from the <c>Spectral</c> configuration section.</summary>
public sealed class SpectralOptions
{
    /// <summary>Outgoing messages buffered per live connection before it is closed as too slow. Defaults to 4,096.</summary>
    public int SubscriberQueueCapacity { get; set; } = 4096;

    /// <summary>How often live sessions record a heartbeat. Defaults to 30 seconds.</summary>
    public TimeSpan SessionHeartbeatInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Sessions silent for longer are marked inactive (their node died). Defaults to 2 minutes.</summary>
    public TimeSpan SessionStaleAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often expired tasks and idempotency keys are removed. Defaults to 30 seconds.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Apply pending migrations at start-up. Defaults to true.</summary>
    public bool AutoMigrate { get; set; } = true;

    /// <summary>This process's id in sessions and notifications. Defaults to the host name plus a random suffix.</summary>
    public string NodeId { get; set; } = $"{Environment.MachineName}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Idempotency keys are kept this long. Defaults to 24 hours.</summary>
    public TimeSpan IdempotencyRetention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>SQLite <c>PRAGMA synchronous</c>. Defaults to FULL.</summary>
    public string SqliteSynchronous { get; set; } = "FULL";

    /// <summary>
    /// How long a write may wait for the database (a held SQLite lock, a full write queue) before it
    /// is answered 503 with <c>Retry-After</c> and nothing written. Defaults to 5 seconds.
    /// </summary>
    public TimeSpan WriteTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the job scheduler fires due schedules and fails runs whose lease ran out.</summary>
    public TimeSpan SchedulerInterval { get; set; } = TimeSpan.FromMilliseconds(250);
}
