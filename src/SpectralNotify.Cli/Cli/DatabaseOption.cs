using System.CommandLine;
using SpectralNotify.Server.Hosting;

namespace SpectralNotify.Cli;

/// <summary>The <c>--database</c> option of the verbs that work on the database directly, and how it resolves.</summary>
public static class DatabaseOption
{
    public static Option<string?> Create() => new("--database")
    {
        Description = "sqlite:<path>, a postgres:// URL or a connection string. Defaults to SPECTRAL_DATABASE, then sqlite:./data/spectral.db.",
        Recursive = true,
    };

    /// <summary>--database, else <c>SPECTRAL_DATABASE</c>, else the default SQLite file, as the server resolves it.</summary>
    /// <exception cref="ArgumentException">The setting is not a database the server could use.</exception>
    public static DatabaseSetting Resolve(ParseResult p, Option<string?> option) =>
        DatabaseSetting.Parse(p.GetValue(option) ?? Environment.GetEnvironmentVariable("SPECTRAL_DATABASE"));
}
