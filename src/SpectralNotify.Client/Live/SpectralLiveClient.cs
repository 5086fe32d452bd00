using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace SpectralNotify.Client.Live;

/// <summary>
/// Live watches over one shared WebSocket (protocol v2 at <c>/api/v1/live</c>), opened by the first
/// watch and kept until the client is disposed. Each watch is an <see cref="IAsyncEnumerable{T}"/>
/// that delivers every seq exactly once, in order, across reconnects: after the link drops, the
/// connection comes back per <see cref="SpectralLiveOptions.RetryPolicy"/> and every watch resumes
/// from its last seq and epoch (lists from their cursor). Thread-safe; get it from
/// <see cref="SpectralClient.Live"/>.
/// </summary>
public sealed partial class SpectralLiveClient : IAsyncDisposable
{
    private readonly SpectralClientOptions options;
    private readonly object gate = new();
    private readonly Dictionary<string, LiveSubscription> subscriptions = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource disposing = new();
    private long nextId;
    private Task? loop;

    /// <summary>The open socket's outgoing queue once its welcome arrived; null while disconnected.</summary>
    private Channel<byte[]>? outgoing;
    private bool disposed;

    internal SpectralLiveClient(SpectralClientOptions options)
    {
        this.options = options;
    }

    /// <summary>The link dropped and the client starts reconnecting; the exception says why.</summary>
    public event Func<Exception?, Task>? Reconnecting;

    /// <summary>
    /// The link is back and every watch has been resubscribed. The argument is true when every watch
    /// resumed where it was (<c>recovered</c>); false when one of them starts again from a
    /// <see cref="LiveChangeKind.Reset"/> or a list's <see cref="LiveListChangeKind.MustRefetch"/>.
    /// </summary>
    public event Func<bool, Task>? Reconnected;

    /// <summary>
    /// The connection stopped for good: the retry policy gave up or the server refused the credentials
    /// (the exception says why; every watch ended with it), or the client was disposed (null). A new
    /// watch opens the connection again.
    /// </summary>
    public event Func<Exception?, Task>? Closed;

    /// <summary>Watches any entity topic (<c>task:&lt;id&gt;</c>, <c>workflow:…</c>, <c>counter:…</c>, <c>run:…</c>) with the given shapes.</summary>
    /// <remarks>The enumeration ends after <see cref="LiveChangeKind.End"/> unless <see cref="LiveWatchOptions.Follow"/> is set.</remarks>
    public async IAsyncEnumerable<LiveChange<TEntity, TEvent>> WatchAsync<TEntity, TEvent>(string topic, LiveWatchOptions? options = null,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        var subscription = new EntitySubscription<TEntity, TEvent>(topic, options ?? new LiveWatchOptions());
        Attach(subscription);
        try
        {
            while (await subscription.Reader.WaitToReadAsync(ct).ConfigureAwait(false))
            {
                while (subscription.Reader.TryRead(out var change))
                {
                    yield return change;
                }
            }
        }
        finally
        {
            Detach(subscription);
        }
    }

    /// <summary>Watches any list topic (<c>tasks</c>, <c>runs</c>, <c>workflows</c>, <c>job:&lt;id&gt;</c>) with the given row shape. The enumeration runs until it is canceled or the client closes.</summary>
    public async IAsyncEnumerable<LiveListChange<TRow>> WatchListAsync<TRow>(string topic, LiveListOptions? options = null,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        var subscription = new ListSubscription<TRow>(topic, options ?? new LiveListOptions());
        Attach(subscription);
        try
        {
            while (await subscription.Reader.WaitToReadAsync(ct).ConfigureAwait(false))
            {
                while (subscription.Reader.TryRead(out var change))
                {
                    yield return change;
                }
            }
        }
        finally
        {
            Detach(subscription);
        }
    }

    /// <summary>Closes the connection; every watch's enumeration ends (without an error).</summary>
    public async ValueTask DisposeAsync()
    {
        Task? running;
        List<LiveSubscription> open;
        lock (gate)
        {
            if (disposed)
            {
                return;
            }
            disposed = true;
            running = loop;
            open = [.. subscriptions.Values];
            subscriptions.Clear();
        }
        await disposing.CancelAsync().ConfigureAwait(false);
        foreach (var subscription in open)
        {
            subscription.Complete(null);
        }
        if (running is not null)
        {
            await running.ConfigureAwait(false);
            await RaiseAsync(Closed, null).ConfigureAwait(false);
        }
        disposing.Dispose();
    }

    private void Attach(LiveSubscription subscription)
    {
        lock (gate)
        {
            if (disposed)
            {
                subscription.Complete(new ObjectDisposedException(nameof(SpectralLiveClient)));
                return;
            }
            subscription.Id = "w" + (++nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
            subscriptions[subscription.Id] = subscription;
            outgoing?.Writer.TryWrite(LiveProtocol.Encode(subscription.SubscribeMessage()));
            loop ??= Task.Run(RunAsync);
        }
    }

    private void Detach(LiveSubscription subscription)
    {
        lock (gate)
        {
            if (subscriptions.Remove(subscription.Id))
            {
                // The server may have closed it already (end, error): it then ignores the unknown id.
                outgoing?.Writer.TryWrite(LiveProtocol.Unsubscribe(subscription.Id));
            }
        }
    }

    private static async Task RaiseAsync<T>(Func<T, Task>? handlers, T argument)
    {
        if (handlers is null)
        {
            return;
        }
        foreach (var handler in handlers.GetInvocationList().Cast<Func<T, Task>>())
        {
            try
            {
                await handler(argument).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // a failing event handler must not take the connection down
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }
}
