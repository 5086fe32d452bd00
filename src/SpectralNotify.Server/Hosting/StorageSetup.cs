using SpectralNotify.Migrations;
//PGUSING using SpectralNotify.Postgres;
using SpectralNotify.Realtime;
using SpectralNotify.Sqlite;
using SpectralNotify.Storage;
using SpectralNotify.Tasks;

namespace SpectralNotify.Server.Hosting;

/// <summary>Chooses the engine from <c>SPECTRAL_DATABASE</c> and registers the store, migrations and change feed.</summary>
public static class StorageSetup
{
    public static IServiceCollection AddSpectralStorage(this IServiceCollection services, DatabaseSetting db, SpectralOptions options)
    {
        services.AddSingleton<TaskFeed>();
        services.AddSingleton<TaskService>();
        services.AddSingleton(sp => new MigrationRunner(sp.GetRequiredService<IMigrationDriver>(), sp.GetRequiredService<TimeProvider>()));
        if (db.IsSqlite)
        {
            services.AddSingleton<IMigrationDriver>(_ => new SqliteMigrationDriver(db.Value));
            services.AddSingleton<IStore>(sp => new SqliteStore(
                new SqliteStoreOptions { Path = db.Value, Synchronous = options.SqliteSynchronous }, sp.GetRequiredService<TimeProvider>()));
        }
        else
        {
            throw new NotSupportedException("pg pending");
        }
        return services;
    }

    /// <summary>Creates a migration runner without the web host, for <c>spectral migrate</c>.</summary>
    public static MigrationRunner CreateRunner(DatabaseSetting db) => new(
        new SqliteMigrationDriver(db.Value),
        TimeProvider.System);
}
