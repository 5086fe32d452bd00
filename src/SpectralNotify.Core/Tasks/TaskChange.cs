namespace SpectralNotify.Tasks;

/// <summary>A committed change: the task after it and the event it appended.</summary>
public sealed record TaskChange(TaskItem Task, TaskEvent Event);
