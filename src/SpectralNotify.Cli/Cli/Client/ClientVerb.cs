using System.CommandLine;
using System.Net;
using SpectralNotify.Client;

namespace SpectralNotify.Cli;

/// <summary>
/// What the verbs that call a server share: a <see cref="SpectralClient"/> made from
/// <c>--server</c> and <c>--key</c>, and failures as one <c>error:</c> line on stderr with an exit
/// code from <see cref="ExitCodes"/>: 4 when the server cannot be reached or refuses the key, 1 when
/// it refuses the call, 2 for a bad <c>--server</c>.
/// </summary>
public static class ClientVerb
{
    /// <summary>Sets the action of <paramref name="command"/> to run <paramref name="action"/> with a client.</summary>
    public static void SetAction(Command command, Func<ParseResult, SpectralClient, CancellationToken, Task<int>> action) =>
        command.SetAction((p, ct) => RunAsync(p, action, ct));

    /// <summary>Runs <paramref name="action"/> with a client for the resolved server and key.</summary>
    public static async Task<int> RunAsync(ParseResult p, Func<ParseResult, SpectralClient, CancellationToken, Task<int>> action, CancellationToken ct)
    {
        Uri server;
        try
        {
            server = GlobalOptions.ServerOf(p);
        }
        catch (ArgumentException ex)
        {
            return await Usage.FailAsync(p, ex.Message);
        }
        await using var client = SpectralClient.Create(new SpectralClientOptions { BaseAddress = server, ApiKey = GlobalOptions.KeyOf(p) });
        try
        {
            return await action(p, client, ct);
        }
        catch (SpectralApiException ex)
        {
            var auth = ex.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;
            await Console.Error.WriteLineAsync($"error: {(int)ex.StatusCode} {Describe(ex)}{(auth ? Hint(p) : "")}");
            return auth ? ExitCodes.Connection : ExitCodes.Failed;
        }
        catch (SpectralNetworkException ex)
        {
            await Console.Error.WriteLineAsync($"error: cannot reach {server}: {ex.InnerException?.Message ?? ex.Message}");
            return ExitCodes.Connection;
        }
        catch (CliInputException ex)
        {
            return await Usage.FailAsync(p, ex.Message);
        }
    }

    private static string Describe(SpectralApiException ex) =>
        ex.Problem is { } problem ? string.Join(": ", new[] { problem.Title, problem.Detail }.Where(s => !string.IsNullOrWhiteSpace(s)).Distinct()) : ex.Message;

    private static string Hint(ParseResult p) =>
        GlobalOptions.KeyOf(p) is null ? " (no key given: pass --key or set SPECTRAL_API_KEY)" : "";
}

/// <summary>A value the server was never asked about because it is malformed (bad JSON in <c>--metadata</c>): a usage error.</summary>
public sealed class CliInputException(string message) : Exception(message);
