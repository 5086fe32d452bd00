using SpectralNotify.Health;
using SpectralNotify.Migrations;
using SpectralNotify.Postgres;
using SpectralNotify.Realtime;
using SpectralNotify.Sqlite;
using SpectralNotify.Storage;
using SpectralNotify.Tasks;

namespace SpectralNotify.Server.Hosting;

/// <summary>Chooses the engine from <c>SPECTRAL_DATABASE</c> and registers the store, migrations and change feed.</summary>
public static class StorageSetup
{
    /// <remarks>Nothing here touches the database: the store and the driver are made when first resolved, after the start-up checks.</remarks>
    public static IServiceCollection AddSpectralStorage(this IServiceCollection services, DatabaseSetting db)
    {
        services.AddSingleton<TaskFeed>();
        services.AddSingleton<TaskService>();
        services.AddSingleton(sp => new MigrationRunner(CreateMigrationDriver(db), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp =>
        {
            sp.GetService<SpectralPreparation>()?.ThrowIfNotBegun();
            var options = sp.GetRequiredService<SpectralOptions>();
            var store = CreateStore(db, sp.GetRequiredService<TimeProvider>(), options.NodeId, options.SqliteSynchronous, options.WriteTimeout,
                new SqliteTuning(options.SqliteCacheMiB, options.SqliteCheckpointPages));
            if (store is IReportsHealth reporting)
            {
                var registry = sp.GetRequiredService<HealthRegistry>();
                foreach (var component in reporting.Components)
                {
                    registry.Add(component);
                }
            }
            return store;
        });
        if (!db.IsSqlite)
        {
            services.AddSingleton(sp =>
            {
                var options = sp.GetRequiredService<SpectralOptions>();
                return PostgresOptions(db, options.NodeId, options.WriteTimeout);
            });
            services.AddHostedService<PostgresListenerService>();
        }
        return services;
    }

    public static IStore CreateStore(DatabaseSetting db, TimeProvider time, string nodeId, string sqliteSynchronous = "FULL", TimeSpan? writeTimeout = null,
        SqliteTuning? sqlite = null) =>
        db.IsSqlite
            ? new SqliteStore(SqliteOptions(db, sqliteSynchronous, writeTimeout, sqlite), time)
            : new PostgresStore(PostgresOptions(db, nodeId, writeTimeout), time);

    /// <summary>The store's own defaults for whatever <paramref name="tuning"/> leaves out.</summary>
    private static SqliteStoreOptions SqliteOptions(DatabaseSetting db, string synchronous, TimeSpan? writeTimeout, SqliteTuning? tuning)
    {
        var options = new SqliteStoreOptions { Path = db.Value, Synchronous = synchronous, WriteTimeout = writeTimeout ?? TimeSpan.FromSeconds(5) };
        if (tuning is not null)
        {
            options.CacheMiB = tuning.CacheMiB;
            options.CheckpointPages = tuning.CheckpointPages;
        }
        return options;
    }

    public static IMigrationDriver CreateMigrationDriver(DatabaseSetting db) =>
        db.IsSqlite ? new SqliteMigrationDriver(db.Value) : new PostgresMigrationDriver(PostgresOptions(db, "migrate"));

    /// <summary>Creates a migration runner without the web host, for <c>spectral migrate</c>.</summary>
    public static MigrationRunner CreateRunner(DatabaseSetting db) => new(CreateMigrationDriver(db), TimeProvider.System);

    private static PostgresStoreOptions PostgresOptions(DatabaseSetting db, string nodeId, TimeSpan? writeTimeout = null) =>
        new() { ConnectionString = db.Value, NodeId = nodeId, ConnectTimeout = writeTimeout };
}
