using SpectralNotify.Tasks;

namespace SpectralNotify.Storage;

/// <summary>One operation of a batch: a create (<see cref="New"/>) or a mutation of <see cref="Id"/>.</summary>
public sealed record TaskWrite(NewTask? New, string? Id, TaskMutation? Mutation)
{
    public static TaskWrite Create(NewTask task) => new(task, null, null);
    public static TaskWrite Mutate(string id, TaskMutation mutation) => new(null, id, mutation);
}
