using SpectralNotify.Tasks;

namespace SpectralNotify.Jobs;

/// <summary>
/// The write plan of one <see cref="RunWork"/>: everything its decisions change, applied by the
/// engine in this order: task changes (each event, the final task row checked against the version
/// read, a notification per change), run updates, run inserts, dependency rows, unblocks, next fire
/// times. Run updates come before inserts so a unique key released and taken again in one
/// transaction never collides.
/// </summary>
public sealed class RunWrites
{
    private readonly Dictionary<string, (TaskItem Task, long Expected)> _tasks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JobRun> _runUpdates = new(StringComparer.Ordinal);

    /// <summary>Every task change (its event), in the order made.</summary>
    public List<TaskChange> Changes { get; } = [];

    /// <summary>Each changed task's final row and the version it had when read.</summary>
    public IReadOnlyCollection<(TaskItem Task, long Expected)> Tasks => _tasks.Values;

    /// <summary>Each changed run's final lifecycle columns (state, attempt, lease, deadline, cancel, result).</summary>
    public IReadOnlyCollection<JobRun> RunUpdates => _runUpdates.Values;

    public List<JobRun> RunInserts { get; } = [];

    /// <summary>(run, the run it waits for).</summary>
    public List<(string TaskId, string DependsOn)> Dependencies { get; } = [];

    /// <summary>Runs that succeeded: each dependent waits for one run fewer.</summary>
    public List<string> Unblocks { get; } = [];

    public List<(string JobId, DateTimeOffset? Next)> NextFires { get; } = [];


    internal void Task(TaskChange change, long expectedVersion)
    {
        Changes.Add(change);
        _tasks[change.Task.Id] = (change.Task, _tasks.TryGetValue(change.Task.Id, out var earlier) ? earlier.Expected : expectedVersion);
    }

    /// <summary>A run inserted in this plan takes its later state with it; one read from storage is updated.</summary>
    internal void Run(JobRun run, bool inserted)
    {
        if (inserted)
        {
            RunInserts[RunInserts.FindIndex(r => r.TaskId == run.TaskId)] = run;
        }
        else
        {
            _runUpdates[run.TaskId] = run;
        }
    }
}
