using SpectralNotify.Stats;

namespace SpectralNotify.Postgres;

public sealed partial class PostgresStore
{
    public async Task<StatsRows> StatsReadAsync(StatsWindow window, DateTimeOffset now, CancellationToken ct) => new(
        await ReadAllAsync(Sql["StatsTaskCounts"], _ => { }, StatsRows.Read.Status, ct),
        await ReadAllAsync(Sql["StatsFinished"], ps => ps.With("from", window.From).With("to", window.To)
            .With("bucket_ms", window.BucketSeconds * 1000L), StatsRows.Read.Finish, ct),
        await ReadAllAsync(Sql["StatsQueues"], ps => ps.With("now", now), r => StatsRows.Read.Queue(r, PostgresRows.Rows), ct),
        await ReadAllAsync(Sql["StatsWorkers"], ps => ps.With("now", now), StatsRows.Read.Worker, ct),
        await ReadAllAsync(Sql["StatsNodes"], _ => { }, StatsRows.Read.Node, ct));
}
