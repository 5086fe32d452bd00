using SpectralNotify.Counters;

namespace SpectralNotify.Storage;

/// <summary>Counters: named integers with a history. Part of <see cref="IStore"/>.</summary>
public interface ICounterStore
{
    /// <summary>Applies an operation under the counter's write lock and appends its history entry.</summary>
    /// <exception cref="CounterNotFoundException"/>
    /// <exception cref="CounterOverflowException"/>
    Task<CounterChange> CounterApplyAsync(string name, CounterOperation op, CancellationToken ct);

    /// <summary>Creates a counter with history entry 1.</summary>
    /// <exception cref="CounterAlreadyExistsException"/>
    Task<CounterChange> CounterCreateAsync(string name, long value, string? createdBy, CancellationToken ct);

    /// <summary>Deletes a counter and its history; false when it did not exist.</summary>
    Task<bool> CounterDeleteAsync(string name, CancellationToken ct);

    Task<Counter?> CounterGetAsync(string name, CancellationToken ct);

    /// <summary>History entries with seq &gt; <paramref name="afterSeq"/>, oldest first.</summary>
    Task<IReadOnlyList<CounterHistoryEntry>> CounterHistoryListAsync(string name, long afterSeq, int limit, CancellationToken ct);

    /// <summary>All counters by name.</summary>
    Task<IReadOnlyList<Counter>> CounterListAsync(CancellationToken ct);
}
