namespace SpectralNotify.Client;

// The live part of the client: watches over one shared protocol-v2 connection (filled in by Live/).
public sealed partial class SpectralClient
{
    private partial ValueTask DisposeLiveAsync() => ValueTask.CompletedTask;
}
