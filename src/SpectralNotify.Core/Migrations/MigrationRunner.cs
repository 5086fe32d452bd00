namespace SpectralNotify.Migrations;

/// <summary>
/// Applies and reverts numbered migrations. Every step runs in its own transaction under the
/// engine's migration lock, so several processes starting at once apply each migration exactly once.
/// A recorded checksum that no longer matches the embedded SQL stops the run: the database was
/// migrated by different code and continuing could corrupt it.
/// </summary>
public sealed class MigrationRunner(IMigrationDriver driver, TimeProvider time)
{
    public IReadOnlyList<Migration> Migrations => driver.Migrations;

    public Task<IReadOnlyList<MigrationState>> StatusAsync(CancellationToken ct) =>
        driver.WithMigrationLockAsync(async c => State(await driver.AppliedAsync(c)), ct);

    /// <summary>Applies pending migrations up to <paramref name="to"/> (all when null); returns those applied.</summary>
    public Task<IReadOnlyList<Migration>> UpAsync(int? to, CancellationToken ct) =>
        driver.WithMigrationLockAsync<IReadOnlyList<Migration>>(async c =>
        {
            var plan = PlanUp(await driver.AppliedAsync(c), to);
            foreach (var m in plan)
            {
                await driver.ApplyUpAsync(m, time.GetUtcNow(), c);
            }
            return plan;
        }, ct);

    /// <summary>Reverts applied migrations down to version <paramref name="to"/> (kept), or the latest one when null.</summary>
    public Task<IReadOnlyList<Migration>> DownAsync(int? to, CancellationToken ct) =>
        driver.WithMigrationLockAsync<IReadOnlyList<Migration>>(async c =>
        {
            var plan = PlanDown(await driver.AppliedAsync(c), to);
            foreach (var m in plan)
            {
                await driver.ApplyDownAsync(m, c);
            }
            return plan;
        }, ct);

    /// <summary>What <see cref="UpAsync"/> would apply, without applying it.</summary>
    public Task<IReadOnlyList<Migration>> DryRunUpAsync(int? to, CancellationToken ct) =>
        driver.WithMigrationLockAsync(async c => PlanUp(await driver.AppliedAsync(c), to), ct);

    /// <summary>True when every embedded migration is applied with a matching checksum.</summary>
    public async Task<bool> IsCurrentAsync(CancellationToken ct)
    {
        var state = await StatusAsync(ct);
        return state.All(s => s.Applied && s.ChecksumMatches);
    }

    private IReadOnlyList<MigrationState> State(IReadOnlyList<AppliedMigration> applied)
    {
        var byVersion = applied.ToDictionary(a => a.Version);
        return driver.Migrations.Select(m => byVersion.TryGetValue(m.Version, out var a)
            ? new MigrationState(m.Version, m.Name, true, a.AppliedAt, a.Checksum == m.Checksum)
            : new MigrationState(m.Version, m.Name, false, null, true)).ToList();
    }

    private IReadOnlyList<Migration> PlanUp(IReadOnlyList<AppliedMigration> applied, int? to)
    {
        var byVersion = applied.ToDictionary(a => a.Version);
        foreach (var m in driver.Migrations)
        {
            if (byVersion.TryGetValue(m.Version, out var a) && a.Checksum != m.Checksum)
            {
                throw new MigrationChecksumException(m, a.Checksum);
            }
        }
        var known = driver.Migrations.Select(m => m.Version).ToHashSet();
        var unknown = applied.Where(a => !known.Contains(a.Version)).Select(a => a.Version).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException(
                $"The database has migrations this build does not know ({string.Join(", ", unknown)}); it was migrated by a newer version.");
        }
        return driver.Migrations.Where(m => !byVersion.ContainsKey(m.Version) && (to is null || m.Version <= to)).ToList();
    }

    private IReadOnlyList<Migration> PlanDown(IReadOnlyList<AppliedMigration> applied, int? to)
    {
        var appliedVersions = applied.Select(a => a.Version).ToHashSet();
        var candidates = driver.Migrations.Where(m => appliedVersions.Contains(m.Version)).OrderByDescending(m => m.Version);
        return to is null ? candidates.Take(1).ToList() : candidates.Where(m => m.Version > to).ToList();
    }
}

/// <summary>An applied migration's recorded checksum differs from the embedded SQL.</summary>
public sealed class MigrationChecksumException(Migration migration, string recorded)
    : Exception($"Migration {migration.Version:D4}_{migration.Name} was applied with checksum {recorded}, but this build's SQL has {migration.Checksum}. Refusing to continue.");
