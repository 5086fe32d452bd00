using System.CommandLine;
using System.Data.Common;
using System.Text.Json;
using SpectralNotify.Migrations;
using SpectralNotify.Server.Hosting;
using SpectralNotify.Sqlite;
using SpectralNotify.Storage;
using SpectralNotify.Tasks;

namespace SpectralNotify.Cli;

/// <summary>
/// What the verbs that work on the store directly (<c>spectral keys</c>, <c>spectral tokens</c>)
/// share: the schema check, one store, exit codes 0 done, 1 error and 2 usage error, each failure as
/// one <c>error:</c> line on stderr. On SQLite the store takes the file's process lock, so these verbs
/// are refused while a server uses the file.
/// </summary>
public static class StoreVerb
{
    /// <summary>The exit code of a usage error (<see cref="Usage.ExitCode"/>).</summary>
    public const int UsageExitCode = Usage.ExitCode;

    /// <summary>Runs <paramref name="action"/> on the store of the resolved database.</summary>
    /// <param name="whileServerRuns">What to do instead while a server holds the SQLite file, e.g. "manage keys through its /api/v1/keys".</param>
    public static async Task<int> RunAsync(ParseResult p, Option<string?> database, string whileServerRuns, Func<IStore, DatabaseSetting, Task<int>> action)
    {
        try
        {
            var setting = DatabaseOption.Resolve(p, database);
            var runner = StorageSetup.CreateRunner(setting);
            if (!await runner.IsCurrentAsync(CancellationToken.None))
            {
                await Console.Error.WriteLineAsync("error: the database schema is not current; run 'spectral migrate up' first (a starting server also applies it).");
                return 1;
            }
            await using var store = StorageSetup.CreateStore(setting, TimeProvider.System, nodeId: "cli");
            return await action(store, setting);
        }
        catch (SqliteDatabaseInUseException ex)
        {
            await Console.Error.WriteLineAsync($"error: SPECTRAL_DATABASE: {ex.Message}; while a server runs, {whileServerRuns}");
            return 1;
        }
        catch (Exception ex) when (ex is SpectralException or DbException or MigrationChecksumException or ArgumentException
            or InvalidOperationException or IOException or UnauthorizedAccessException or StartupException)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}");
            return 1;
        }
    }

    /// <summary>
    /// Configuration as a server started here would read it for keys: the environment and
    /// <c>./appsettings.json</c>. A running server checks its own.
    /// </summary>
    public static IConfiguration Configuration() =>
        new ConfigurationBuilder().AddJsonFile(System.IO.Path.GetFullPath("appsettings.json"), optional: true).AddEnvironmentVariables().Build();

    /// <summary>Whether <c>-o</c> asks for JSON (<c>json</c> or <c>jsonl</c>).</summary>
    public static bool WantsJson(ParseResult p) => p.GetValue(GlobalOptions.Output) != OutputFormat.Text;

    /// <summary>JSON output, with times as the API writes them.</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web) { Converters = { new WireTimeConverter() } };

    public static string Time(DateTimeOffset? t, string none) => t is { } v ? Clock.ToWire(v) : none;
}
