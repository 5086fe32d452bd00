// spectral: the SpectralNotify server and its command line.
//
//   spectral [serve] [--urls http://127.0.0.1:8094]    start the server       Cli/ServeCommand.cs
//   --server URL, --key K, -o text|json|jsonl          any verb, any position Cli/GlobalOptions.cs
//   unknown verb or option: one line, exit 2           Cli/Usage.cs
//   spectral migrate up|down|status|dry-run [--to N]    manage the schema      Cli/MigrateCommand.cs
//   spectral keys create|list|revoke                    manage API keys        Cli/KeysCommand.cs
//   spectral tokens mint|rotate                         short-lived tokens     Cli/TokensCommand.cs
//   spectral tasks|jobs|runs|workflows|counters …       a server's API         Cli/Client/
//   spectral tasks|runs|workflows|counters watch <id>   live, with exit codes  Cli/Watch/
//
// The server is the SpectralNotify.Server library; its web host is assembled in
// src/SpectralNotify.Server/Hosting/SpectralApp.cs from three calls any ASP.NET Core app can make:
//   services.AddSpectralNotifyServer(config)       Hosting/SpectralServerServiceCollectionExtensions.cs
//   app.MapSpectralNotify()                        Hosting/SpectralEndpoints.cs (middleware + every route)
//   await app.PrepareSpectralNotifyAsync()         Hosting/SpectralPreparation.cs (checks, keys, migrations)
//   storage engine from SPECTRAL_DATABASE          Hosting/StorageSetup.cs (SQLite default, PostgreSQL)
//   API-key auth and scopes (configured + stored)  Auth/
//   API keys kept in the database                  Api/V1/KeysApi.cs
//   v1 REST API (tasks, batch, sessions)           Api/V1/
//   Idempotency-Key handling                       Api/Idempotency/
//   live updates: WebSocket + SSE, resumable       Realtime/
//   /healthz /readyz /metrics                      Observability/
//   TTL sweeper                                    Maintenance/
using System.CommandLine;
using SpectralNotify.Cli;

var root = new RootCommand("SpectralNotify: track long-running work and stream its progress live. With no verb, starts the server (as 'serve').");
GlobalOptions.AddTo(root);
var urls = ServeCommand.UrlsOption();
root.Options.Add(urls);
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(MigrateCommand.Create());
root.Subcommands.Add(KeysCommand.Create());
root.Subcommands.Add(TokensCommand.Create());
root.Subcommands.Add(TasksCommand.Create());
root.Subcommands.Add(JobsCommand.Create());
root.Subcommands.Add(RunsCommand.Create());
root.Subcommands.Add(WorkflowsCommand.Create());
root.Subcommands.Add(CountersCommand.Create());
root.SetAction((parse, ct) => ServeCommand.RunRootAsync(parse, urls, ct));
var parsed = root.Parse(args);
if (Usage.ErrorOf(parsed) is { } usage)
{
    await Console.Error.WriteLineAsync(usage);
    return Usage.ExitCode;
}
return await parsed.InvokeAsync(ServeCommand.Invocation(parsed));

/// <summary>Entry point type, visible to tests.</summary>
public partial class Program;
