using SpectralNotify.Client.Internal;
using SpectralNotify.Client.Models;

namespace SpectralNotify.Client.Resources;

/// <summary><c>/api/v1/counters</c>: named 64-bit integers with a history of every operation.</summary>
public sealed class CountersResource
{
    private readonly SpectralHttp http;

    internal CountersResource(SpectralHttp http) => this.http = http;

    /// <summary>Creates a counter (201); 409 when the name exists.</summary>
    [ApiRouteName("counters.create")]
    public Task<Counter> CreateAsync(string name, long? value = null, RequestOptions? options = null, CancellationToken ct = default) =>
        http.CallAsync<Counter>(ApiRoutes.CountersCreate, ApiRoutes.CountersCreate.Path(), new CreateCounterRequest { Name = name, Value = value }, options, ct);

    /// <summary>Every counter, by name.</summary>
    [ApiRouteName("counters.list")]
    public async Task<IReadOnlyList<Counter>> ListAsync(CancellationToken ct = default) =>
        (await http.CallAsync<Page<Counter>>(ApiRoutes.CountersList, ApiRoutes.CountersList.Path(), null, null, ct).ConfigureAwait(false)).Data;

    /// <summary>Reads a counter.</summary>
    [ApiRouteName("counters.get")]
    public Task<Counter> GetAsync(string name, CancellationToken ct = default) =>
        http.CallAsync<Counter>(ApiRoutes.CountersGet, ApiRoutes.CountersGet.Path(name), null, null, ct);

    /// <summary>Deletes a counter and its history (admin).</summary>
    [ApiRouteName("counters.delete")]
    public Task DeleteAsync(string name, CancellationToken ct = default) =>
        http.CallAsync(ApiRoutes.CountersDelete, ApiRoutes.CountersDelete.Path(name), null, null, ct);

    /// <summary>Adds <paramref name="amount"/> (1 or more); 409 on 64-bit overflow.</summary>
    [ApiRouteName("counters.increment")]
    public Task<Counter> IncrementAsync(string name, long amount = 1, RequestOptions? options = null, CancellationToken ct = default) =>
        http.CallAsync<Counter>(ApiRoutes.CountersIncrement, ApiRoutes.CountersIncrement.Path(name), new AmountBody(amount), options, ct);

    /// <summary>Subtracts <paramref name="amount"/> (1 or more); 409 on 64-bit overflow.</summary>
    [ApiRouteName("counters.decrement")]
    public Task<Counter> DecrementAsync(string name, long amount = 1, RequestOptions? options = null, CancellationToken ct = default) =>
        http.CallAsync<Counter>(ApiRoutes.CountersDecrement, ApiRoutes.CountersDecrement.Path(name), new AmountBody(amount), options, ct);

    /// <summary>Sets the value.</summary>
    [ApiRouteName("counters.set")]
    public Task<Counter> SetAsync(string name, long value, RequestOptions? options = null, CancellationToken ct = default) =>
        http.CallAsync<Counter>(ApiRoutes.CountersSet, ApiRoutes.CountersSet.Path(name), new ValueBody(value), options, ct);

    /// <summary>Sets the value to 0.</summary>
    [ApiRouteName("counters.reset")]
    public Task<Counter> ResetAsync(string name, RequestOptions? options = null, CancellationToken ct = default) =>
        http.CallAsync<Counter>(ApiRoutes.CountersReset, ApiRoutes.CountersReset.Path(name), null, options, ct);

    /// <summary>One page of the counter's operations, oldest first, after seq <paramref name="after"/>.</summary>
    [ApiRouteName("counters.history")]
    public Task<Page<CounterHistoryEntry>> HistoryAsync(string name, long? after = null, int? limit = null, CancellationToken ct = default) =>
        http.CallAsync<Page<CounterHistoryEntry>>(ApiRoutes.CountersHistory,
            ApiRoutes.CountersHistory.Path(name) + new QueryString().Add("after", after).Add("limit", limit), null, null, ct);

    /// <summary>The counter's whole history after seq <paramref name="after"/>, page after page.</summary>
    public IAsyncEnumerable<CounterHistoryEntry> HistoryAllAsync(string name, long? after = null, int? pageSize = null, CancellationToken ct = default) =>
        SeqPager.AllAsync((a, c) => HistoryAsync(name, a, pageSize, c), after, ct);

    private sealed record AmountBody(long Amount);

    private sealed record ValueBody(long Value);
}
