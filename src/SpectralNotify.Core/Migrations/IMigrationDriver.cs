namespace SpectralNotify.Migrations;

/// <summary>What an engine provides so <see cref="MigrationRunner"/> can migrate it.</summary>
public interface IMigrationDriver
{
    /// <summary>The engine's migrations, embedded in its assembly.</summary>
    IReadOnlyList<Migration> Migrations { get; }

    /// <summary>Runs <paramref name="work"/> holding a lock that excludes other processes migrating the same database.</summary>
    Task<T> WithMigrationLockAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken ct);

    /// <summary>Creates the migrations table when missing and returns its rows.</summary>
    Task<IReadOnlyList<AppliedMigration>> AppliedAsync(CancellationToken ct);

    /// <summary>Runs the up SQL and records it, in one transaction.</summary>
    Task ApplyUpAsync(Migration migration, DateTimeOffset now, CancellationToken ct);

    /// <summary>Runs the down SQL and removes its record, in one transaction.</summary>
    Task ApplyDownAsync(Migration migration, CancellationToken ct);
}
