using SpectralNotify.Health;
using SpectralNotify.Server.Hosting;
using SpectralNotify.Server.Realtime;
using SpectralNotify.Sqlite;
using SpectralNotify.Storage;

namespace SpectralNotify.Server.Observability;

/// <summary>
/// Metrics whose values other services keep (live topics, components, the SQLite writer). They are
/// read when <c>/metrics</c> is scraped instead of pushed on every change.
/// </summary>
internal static class ScrapeTimeMetrics
{
    /// <remarks>
    /// The hub and the store are resolved at scrape time, not here: this runs while endpoints are
    /// mapped, and the store must not be opened before startup has migrated the database.
    /// </remarks>
    public static void Publish(SpectralMetrics metrics, IServiceProvider services)
    {
        var topics = metrics.Factory.CreateGauge("spectral_live_topics", "Tasks with at least one live subscriber on this node.");
        metrics.Registry.AddBeforeCollectCallback(() => topics.Set(services.GetRequiredService<TaskHub>().TopicCount));
        ComponentMetrics.Publish(metrics, services.GetRequiredService<HealthRegistry>());
        if (services.GetRequiredService<DatabaseSetting>().IsSqlite)
        {
            // SQLite's writer loop: transactions committed and write requests in them (the group-commit ratio).
            var commits = metrics.Factory.CreateCounter("spectral_sqlite_commits_total",
                "Transactions the SQLite writer committed (each one fsync with synchronous=FULL).");
            var writes = metrics.Factory.CreateCounter("spectral_sqlite_writes_total",
                "Write requests committed by the SQLite writer, several per transaction under load.");
            metrics.Registry.AddBeforeCollectCallback(() =>
            {
                if (services.GetRequiredService<IStore>() is SqliteStore sqlite)
                {
                    var (c, w) = sqlite.WriterStats;
                    commits.IncTo(c);
                    writes.IncTo(w);
                }
            });
        }
    }
}
