using SpectralNotify.Client.Resources;

namespace SpectralNotify.Client;

// The REST part of the client: one property per resource of /api/v1.
public sealed partial class SpectralClient
{
    /// <summary>Tasks: create, report progress and events, finish, history; the producer helper (<see cref="TasksResource.StartAsync"/>).</summary>
    public TasksResource Tasks { get; private set; } = null!;

    /// <summary>Tool executions of tasks.</summary>
    public ToolsResource Tools { get; private set; } = null!;

    /// <summary>The HTTP worker protocol: claim, heartbeat, complete, fail.</summary>
    public WorkersResource Workers { get; private set; } = null!;

    /// <summary>Counters.</summary>
    public CountersResource Counters { get; private set; } = null!;

    /// <summary>Workflows and their phases.</summary>
    public WorkflowsResource Workflows { get; private set; } = null!;

    /// <summary>Job definitions and schedules.</summary>
    public JobsResource Jobs { get; private set; } = null!;

    /// <summary>Runs: enqueue, list, read, retry.</summary>
    public RunsResource Runs { get; private set; } = null!;

    /// <summary>Live sessions (admin).</summary>
    public SessionsResource Sessions { get; private set; } = null!;

    /// <summary>The server's summary: tasks by status, throughput, queues, workers, live sessions per node.</summary>
    public StatsResource Stats { get; private set; } = null!;

    /// <summary>Typed configuration (admin).</summary>
    public ConfigResource Config { get; private set; } = null!;

    /// <summary>API keys (admin).</summary>
    public KeysResource Keys { get; private set; } = null!;

    /// <summary>Short-lived tokens.</summary>
    public TokensResource Tokens { get; private set; } = null!;

    partial void InitializeResources()
    {
        Tasks = new TasksResource(Http);
        Tools = new ToolsResource(Http);
        Workers = new WorkersResource(Http);
        Counters = new CountersResource(Http);
        Workflows = new WorkflowsResource(Http);
        Jobs = new JobsResource(Http);
        Runs = new RunsResource(Http);
        Sessions = new SessionsResource(Http);
        Stats = new StatsResource(Http);
        Config = new ConfigResource(Http);
        Keys = new KeysResource(Http);
        Tokens = new TokensResource(Http);
    }
}
