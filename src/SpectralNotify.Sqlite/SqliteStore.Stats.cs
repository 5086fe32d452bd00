using SpectralNotify.Stats;

namespace SpectralNotify.Sqlite;

public sealed partial class SqliteStore
{
    public async Task<StatsRows> StatsReadAsync(StatsWindow window, DateTimeOffset now, CancellationToken ct) => new(
        await ReadAllAsync(Sql["StatsTaskCounts"], _ => { }, StatsRows.Read.Status, ct),
        await ReadAllAsync(Sql["StatsFinished"], cmd => cmd.With("@from", window.From).With("@to", window.To)
            .With("@bucket_ms", window.BucketSeconds * 1000L), StatsRows.Read.Finish, ct),
        await ReadAllAsync(Sql["StatsQueues"], cmd => cmd.With("@now", now), r => StatsRows.Read.Queue(r, SqliteRows.Rows), ct),
        await ReadAllAsync(Sql["StatsWorkers"], cmd => cmd.With("@now", now), StatsRows.Read.Worker, ct),
        await ReadAllAsync(Sql["StatsNodes"], _ => { }, StatsRows.Read.Node, ct));
}
