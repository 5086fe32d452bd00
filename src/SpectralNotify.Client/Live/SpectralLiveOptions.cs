namespace SpectralNotify.Client.Live;

/// <summary>Settings of the shared live connection (protocol v2 at <c>/api/v1/live</c>).</summary>
public sealed class SpectralLiveOptions
{
}
