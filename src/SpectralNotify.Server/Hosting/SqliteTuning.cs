using SpectralNotify.Sqlite;

namespace SpectralNotify.Server.Hosting;

/// <summary>The SQLite writer's page cache and checkpoint settings, from <see cref="SpectralOptions"/> (see <see cref="SqliteStoreOptions"/>).</summary>
public sealed record SqliteTuning(int CacheMiB, int CheckpointPages);
