using SpectralNotify.Migrations;
using SpectralNotify.Server.Auth;
using SpectralNotify.Server.Realtime;
using SpectralNotify.Storage;

namespace SpectralNotify.Server.Hosting;

/// <summary>
/// Gets the server ready to start, in an order that fails before it changes anything: settings,
/// the listening ports, the data folder and the SQLite process lock (or PostgreSQL reachable),
/// the API keys; then pending migrations (unless <c>Spectral:AutoMigrate=false</c>) and the
/// singletons that must exist before the first request. Runs once per app.
/// </summary>
/// <remarks>
/// It runs before the host starts rather than as a hosted service because the host constructs every
/// hosted service (and with them the store) before it starts the first one, and the store must not
/// open a database that has not been checked, locked and migrated.
/// </remarks>
public sealed class SpectralPreparation(IServiceProvider services, IConfiguration configuration, ILoggerFactory logs)
{
    private readonly ILogger _log = logs.CreateLogger("SpectralNotify.Startup");
    private int _begun;

    /// <summary>Fails when something resolves the store before <see cref="PrepareAsync"/> has begun, with what to do.</summary>
    internal void ThrowIfNotBegun()
    {
        if (Volatile.Read(ref _begun) == 0)
        {
            throw new InvalidOperationException(
                "SpectralNotify is not prepared: call `await app.PrepareSpectralNotifyAsync();` after `builder.Build()` and before `app.Run()` (see docs/embedding.md).");
        }
    }

    /// <exception cref="StartupException">A setting or the environment prevents the start.</exception>
    /// <exception cref="InvalidOperationException">It was already called for this app.</exception>
    public async Task PrepareAsync(CancellationToken ct = default)
    {
        if (Interlocked.Exchange(ref _begun, 1) == 1)
        {
            throw new InvalidOperationException("PrepareSpectralNotifyAsync was already called for this app.");
        }
        StartupChecks.ValidateOptions(services);
        var options = services.GetRequiredService<SpectralOptions>();
        var db = services.GetRequiredService<DatabaseSetting>();
        StartupChecks.CheckPortsFree(configuration);
        if (db.IsSqlite)
        {
            StartupChecks.EnsureDataDirectory(db);
        }
        else
        {
            await PostgresWait.UntilReachableAsync(db, options.DatabaseConnectTimeout, services.GetRequiredService<TimeProvider>(), _log, ct);
        }
        // Held until the store, which takes its own share of the lock, exists (TaskHub below makes it).
        using var sqliteLock = db.IsSqlite ? StartupChecks.LockSqlite(db) : null;
        services.GetRequiredService<ApiKeyRing>();
        var migrations = services.GetRequiredService<MigrationRunner>();
        if (options.AutoMigrate)
        {
            foreach (var m in await migrations.UpAsync(null, ct))
            {
                _log.LogInformation("Applied migration {Version:D4}_{Name}", m.Version, m.Name);
            }
        }
        var store = services.GetRequiredService<IStore>();
        services.GetRequiredService<TaskHub>();
        // With AutoMigrate off and the schema behind, /readyz says so and this waits for the next start.
        if (await migrations.IsCurrentAsync(ct))
        {
            var released = await store.IdempotencyReleaseOrphansAsync(options.NodeId, ct);
            if (released > 0)
            {
                _log.LogWarning("Released {Count} Idempotency-Key claim(s) left in flight by a previous process of this node: retries of those requests run again", released);
            }
        }
    }
}
