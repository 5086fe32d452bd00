using SpectralNotify.Jobs;

namespace SpectralNotify.Tasks;

/// <summary>A task deleted with its events, and the job runs canceled because they waited for it (announced with it).</summary>
public sealed record TaskDeleted(string Id, IReadOnlyList<RunChange> Canceled);
