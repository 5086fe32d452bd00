using SpectralNotify.Jobs;
using SpectralNotify.Tasks;

namespace SpectralNotify.Storage;

/// <summary>A run with its task, as the <c>runs</c> list shows it: the run's queue fields and the task's status, progress and <c>updatedAt</c>.</summary>
public sealed record RunRow(JobRun Run, TaskItem Task);
