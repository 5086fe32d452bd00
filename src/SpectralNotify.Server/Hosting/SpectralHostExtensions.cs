using SpectralNotify.Server.Hosting;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Prepares the SpectralNotify server of a built app (see docs/embedding.md).</summary>
public static class SpectralHostExtensions
{
    /// <summary>
    /// Checks the settings and the environment, takes the SQLite lock or waits for PostgreSQL,
    /// creates the admin key on first start and applies pending migrations (unless
    /// <c>Spectral:AutoMigrate=false</c>), as the <c>spectral</c> server does before it listens.
    /// Required once, after <c>builder.Build()</c> and before <c>app.Run()</c>: until it has run,
    /// the server's store refuses to open, with a message that says so.
    /// </summary>
    /// <exception cref="StartupException">A setting or the environment prevents the start; the message names it.</exception>
    public static Task PrepareSpectralNotifyAsync(this IHost app, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Services.GetRequiredService<SpectralPreparation>().PrepareAsync(ct);
    }
}
