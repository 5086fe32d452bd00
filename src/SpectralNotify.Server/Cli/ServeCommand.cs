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

    public static async Task<int> RunAsync(string[] hostArgs, CancellationToken ct)
    {
        var app = SpectralApp.Build(hostArgs);
        await SpectralApp.PrepareAsync(app, ct);
        await app.RunAsync();
        return 0;
    }
}
