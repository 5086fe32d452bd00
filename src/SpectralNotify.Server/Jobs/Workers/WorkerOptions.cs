namespace SpectralNotify.Server.Jobs.Workers;

/// <summary>What the in-process worker takes: its handler types and queues.</summary>
public sealed class WorkerOptions
{
    /// <summary>Job types with a registered handler.</summary>
    public HashSet<string> Types { get; } = new(StringComparer.Ordinal);

    /// <summary>Queue → how many runs of it may run at once here. Defaults to <c>default = 8</c>.</summary>
    public Dictionary<string, int> Queues { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// How many runs each queue may reserve beyond its concurrency: its local queue. Reserving many
    /// runs at once spares the database a claim per few runs, which is what bounds a queue of short
    /// runs; reserved runs are not started (their tasks stay pending) and a reservation that lapses
    /// gives its run back. The cost: runs waiting here cannot be taken by another node until their
    /// lease runs out. Default 0: reserve only for free slots.
    /// </summary>
    public int Prefetch { get; set; }

    /// <summary>Lease taken per claim; heartbeats renew it every third of it.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often an idle queue looks for work when nothing woke it (runs enqueued on other nodes).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>On shutdown, how long running handlers may finish before they are cancelled (and retried elsewhere).</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>False: this process claims nothing (an API-only node).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>This process's name on the runs it claims. Defaults to the host name and process id.</summary>
    public string WorkerId { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";
}
