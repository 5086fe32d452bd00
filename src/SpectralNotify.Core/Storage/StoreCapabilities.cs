namespace SpectralNotify.Storage;

/// <summary>Engine differences, exposed as facts instead of engine switches in Core or the API.</summary>
/// <param name="Engine">"sqlite" or "postgres".</param>
/// <param name="SharedAcrossProcesses">True when several server processes may share the database (PostgreSQL); changes then arrive from other nodes through the engine's feed.</param>
public sealed record StoreCapabilities(string Engine, bool SharedAcrossProcesses);
