namespace SpectralNotify.Server.Hosting;

/// <summary>
/// What <c>AddSpectralNotifyServer</c> decides when it registers the server. Everything else comes
/// from configuration (<c>Spectral</c>, <c>Auth</c>, <c>Cors</c>, <c>Workers</c>, <c>Metrics</c>, <c>SPECTRAL_API_KEY</c>)
/// and is validated when the server is prepared.
/// </summary>
public sealed class SpectralServerOptions
{
    /// <summary>
    /// The database, in the forms <c>SPECTRAL_DATABASE</c> takes: <c>sqlite:&lt;path&gt;</c>, a
    /// <c>postgres://</c> URL or an Npgsql connection string. Defaults to the configuration's
    /// <c>SPECTRAL_DATABASE</c>, else <c>sqlite:./data/spectral.db</c>.
    /// </summary>
    public string? Database { get; set; }
}
