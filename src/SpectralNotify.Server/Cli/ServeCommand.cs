using System.CommandLine;
using SpectralNotify.Server.Hosting;

namespace SpectralNotify.Server.Cli;

/// <summary><c>spectral serve</c> (also plain <c>spectral</c>): runs the server. ASP.NET options such as <c>--urls</c> pass through.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var command = new Command("serve", "Start the server (the default when no verb is given). Honours --urls.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction((parse, ct) => RunAsync(parse.UnmatchedTokens.ToArray(), ct));
        return command;
    }

    /// <summary>
    /// How to invoke <paramref name="parsed"/>. The server leaves SIGTERM and Ctrl+C to the web host,
    /// which stops gracefully (Hosting/GracefulShutdown.cs): System.CommandLine's own handler would
    /// block the signal for 2 s, then end the process with 143 and cut every connection. Other verbs
    /// keep it, so Ctrl+C cancels a migration.
    /// </summary>
    public static InvocationConfiguration Invocation(ParseResult parsed) =>
        parsed.CommandResult.Command is { Parents: var parents } command && (command.Name == "serve" || !parents.Any())
            ? new InvocationConfiguration { ProcessTerminationTimeout = null }
            : new InvocationConfiguration();

    public static async Task<int> RunAsync(string[] hostArgs, CancellationToken ct)
    {
        var app = SpectralApp.Build(hostArgs);
        await SpectralApp.PrepareAsync(app, ct);
        await app.RunAsync();
        return 0;
    }
}
