using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using SpectralNotify.Sqlite;

namespace SpectralNotify.Server.Hosting;

/// <summary>The line a newcomer looks for after start: where to point a browser and which database is in use.</summary>
public static class StartupReport
{
    public static void Log(WebApplication app)
    {
        var db = app.Services.GetRequiredService<DatabaseSetting>();
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("SpectralNotify.Startup");
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var address in addresses)
        {
            var url = address.TrimEnd('/');
            log.LogInformation("SpectralNotify listening on {Url} (API docs {Url}/docs), database {Database}", url, url, db.Display);
        }
        log.LogInformation("Data folder (admin.key{Sqlite}): {DataDirectory}", db.IsSqlite ? ", the SQLite file and its .lock" : "", db.DataDirectory);
        if (db.IsSqlite)
        {
            log.LogInformation("Database library: {Library}", SqliteStore.LibraryDescription);
        }
    }
}
