using System.CommandLine;
using SpectralNotify.Server.Hosting;

namespace SpectralNotify.Cli;

/// <summary>
/// <c>spectral serve</c>: runs the server; other ASP.NET host options (<c>--environment</c>,
/// <c>--Section:Key=value</c>) pass through to its configuration. Plain <c>spectral</c> with no
/// arguments, or with <c>--urls</c> alone, serves too; anything else without a verb is a usage error,
/// so a mistyped verb never starts a server.
/// </summary>
public static class ServeCommand
{
    /// <summary>The <c>serve</c> verb.</summary>
    public static Command Create()
    {
        var urls = UrlsOption();
        var command = new Command("serve", "Start the server (the default when no arguments are given). Other ASP.NET host options pass through.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.Options.Add(urls);
        command.SetAction((parse, ct) => RunAsync(HostArgs(parse, urls), ct));
        return command;
    }

    /// <summary><c>--urls</c>: where the server listens.</summary>
    public static Option<string?> UrlsOption() => new("--urls")
    {
        Description = "Where the server listens, e.g. http://127.0.0.1:8094 (default http://localhost:8094; also ASPNETCORE_URLS).",
        HelpName = "urls",
    };

    /// <summary>
    /// Plain <c>spectral</c>: serves when given no arguments or <c>--urls</c> alone; anything else
    /// (a global option without a verb) is a usage error.
    /// </summary>
    public static Task<int> RunRootAsync(ParseResult parse, Option<string?> urls, CancellationToken ct)
    {
        var onlyUrls = parse.CommandResult.Children.All(c => c is System.CommandLine.Parsing.OptionResult r && (r.Option == urls || r.Implicit));
        return onlyUrls ? RunAsync(HostArgs(parse, urls), ct) : Usage.FailAsync(parse, "a verb is needed (serve, tasks, jobs, runs, …)");
    }

    private static string[] HostArgs(ParseResult parse, Option<string?> urls) =>
        parse.GetValue(urls) is { } u ? ["--urls", u, .. parse.UnmatchedTokens] : [.. parse.UnmatchedTokens];

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
