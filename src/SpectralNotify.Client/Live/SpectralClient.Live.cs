using SpectralNotify.Client.Live;

namespace SpectralNotify.Client;

// The live part of the client: watches over one shared protocol-v2 connection.
public sealed partial class SpectralClient
{
    private SpectralLiveClient? live;

    /// <summary>Live watches over one shared WebSocket, opened by the first watch.</summary>
    public SpectralLiveClient Live
    {
        get
        {
            if (live is { } existing)
            {
                return existing;
            }
            var created = new SpectralLiveClient(Options);
            return Interlocked.CompareExchange(ref live, created, null) ?? created;
        }
    }

    private partial ValueTask DisposeLiveAsync() => live?.DisposeAsync() ?? ValueTask.CompletedTask;
}
