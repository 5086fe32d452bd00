using SpectralNotify.Storage;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Storage;

/// <summary>
/// Base of a conformance suite: each test gets its own migrated database on <see cref="Engine"/>
/// and a store on a clock the test moves (<see cref="Time"/>, starting at <paramref name="start"/>).
/// </summary>
public abstract class StoreTest(DateTimeOffset start) : IAsyncLifetime
{
    private TestDatabase _db = null!;

    protected abstract Engine Engine { get; }

    protected ManualTime Time { get; } = new(start);

    protected IStore Store { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync(Engine);
        Store = await _db.CreateStoreAsync(Time);
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        await _db.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
