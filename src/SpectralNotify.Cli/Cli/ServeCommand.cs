using System.CommandLine;
using SpectralNotify.Server.Hosting;

namespace SpectralNotify.Cli;

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

    /// <summary>Runs until shutdown; a start-up failure prints one <c>error:</c> line to stderr and returns 1.</summary>
    public static async Task<int> RunAsync(string[] hostArgs, CancellationToken ct)
    {
        WebApplication? app = null;
        try
        {
            app = SpectralApp.Build(hostArgs);
            await app.PrepareSpectralNotifyAsync(ct);
            await StartAsync(app, ct);
            StartupReport.Log(app);
            // The host's own SIGINT/SIGTERM handling stops it gracefully, as app.RunAsync() did.
            await app.WaitForShutdownAsync(CancellationToken.None);
            return 0;
        }
        catch (StartupException ex)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}");
            return 1;
        }
        finally
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }
        }
    }

    /// <summary>Another process may take the port between the check in PrepareSpectralNotifyAsync and this bind.</summary>
    private static async Task StartAsync(WebApplication app, CancellationToken ct)
    {
        try
        {
            await app.StartAsync(ct);
        }
        catch (IOException ex) when (ex.Message.StartsWith("Failed to bind", StringComparison.Ordinal))
        {
            throw new StartupException($"urls: {ex.Message}", ex);
        }
    }
}
