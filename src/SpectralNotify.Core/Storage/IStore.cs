using SpectralNotify.Jobs;
using SpectralNotify.Tasks;

namespace SpectralNotify.Storage;

/// <summary>
/// The storage contract every engine implements, one narrow interface per aggregate. Methods are
/// named noun-first and take params records or plain values; the SQL behind them lives in each
/// engine's <c>Sql/*.sql</c> under the same query names. Domain rules are not here: writes call
/// <see cref="TaskLifecycle"/> inside their transaction, and every job decision is made by
/// <see cref="RunWork"/> over the engine's <see cref="IRunRows"/>.
/// </summary>
public interface IStore : IApiKeyStore, ICounterStore, IConfigStore, ITaskStore, IToolStore, IWorkflowStore, IIdempotencyStore, ISessionStore,
    IJobStore, IRunStore, ISigningKeyStore, IListStore, IStatsStore, IAsyncDisposable
{
    /// <summary>A round trip to the database.</summary>
    Task PingAsync(CancellationToken ct);
}
