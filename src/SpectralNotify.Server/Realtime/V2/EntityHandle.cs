using SpectralNotify.Access;

namespace SpectralNotify.Server.Realtime.V2;

/// <summary>An entity subscription (<c>task:…</c>, <c>run:…</c>, …) of a v2 connection: a <see cref="Subscription"/> and its writer loop.</summary>
public sealed class EntityHandle(string id, Subscription sub, Func<Caller, bool> allowed, CancellationToken connection) : ILiveHandle
{
    private readonly CancellationTokenSource _stop = CancellationTokenSource.CreateLinkedTokenSource(connection);

    public string Id => id;
    public Subscription Subscription => sub;
    public Task Completion { get; private set; } = Task.CompletedTask;
    public bool Overflowed => sub.Overflowed;

    public CancellationToken Stopping => _stop.Token;

    public void Start(Func<CancellationToken, Task> run) => Completion = run(_stop.Token);

    public bool StillAllowed(Caller caller) => allowed(caller);

    public void Close()
    {
        sub.Complete();
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
