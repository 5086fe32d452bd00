namespace SpectralNotify.Worker;

/// <summary>
/// The server refused the worker in a way no retry fixes (a wrong or under-scoped API key, a base
/// address that is not a SpectralNotify server, queue names it rejects). The worker stops claiming
/// and the host stops with this message.
/// </summary>
public sealed class WorkerConfigurationException(string message, Exception? inner = null) : Exception(message, inner);
