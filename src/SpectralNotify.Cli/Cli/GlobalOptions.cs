using System.CommandLine;

namespace SpectralNotify.Cli;

/// <summary>
/// The options every verb accepts, in any position (before or after the verb): where the server is,
/// the key to call it with, and the output format. They are recursive options of the root command.
/// </summary>
public static class GlobalOptions
{
    /// <summary>The server a client verb calls when neither <c>--server</c> nor <c>SPECTRAL_URL</c> says otherwise.</summary>
    public const string DefaultServer = "http://127.0.0.1:8094";

    /// <summary><c>--server URL</c>; defaults to <c>SPECTRAL_URL</c>, then <see cref="DefaultServer"/>.</summary>
    public static Option<string?> Server { get; } = new("--server")
    {
        Description = $"The server's base address. Defaults to SPECTRAL_URL, then {DefaultServer}.",
        Recursive = true,
        HelpName = "url",
    };

    /// <summary><c>--key K</c>; defaults to <c>SPECTRAL_API_KEY</c>.</summary>
    public static Option<string?> Key { get; } = new("--key")
    {
        Description = "The API key (or a token) to call the server with. Defaults to SPECTRAL_API_KEY.",
        Recursive = true,
        HelpName = "key",
    };

    /// <summary><c>-o|--output text|json|jsonl</c>: a readable table (default), the REST object, or one JSON object per line.</summary>
    public static Option<OutputFormat> Output { get; } = CreateOutput();

    /// <summary>Adds the global options to the root command.</summary>
    public static void AddTo(RootCommand root)
    {
        root.Options.Add(Server);
        root.Options.Add(Key);
        root.Options.Add(Output);
    }

    /// <summary>The server address from <c>--server</c>, else <c>SPECTRAL_URL</c>, else the default.</summary>
    /// <exception cref="ArgumentException">Not an absolute http(s) address.</exception>
    public static Uri ServerOf(ParseResult p)
    {
        var text = p.GetValue(Server) is { Length: > 0 } flag ? flag
            : Environment.GetEnvironmentVariable("SPECTRAL_URL") is { Length: > 0 } env ? env
            : DefaultServer;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"--server '{text}' is not an http(s) address such as {DefaultServer}");
        }
        return uri;
    }

    /// <summary>The key from <c>--key</c>, else <c>SPECTRAL_API_KEY</c>, else null (anonymous calls).</summary>
    public static string? KeyOf(ParseResult p) =>
        p.GetValue(Key) is { Length: > 0 } key ? key
        : Environment.GetEnvironmentVariable("SPECTRAL_API_KEY") is { Length: > 0 } env ? env
        : null;

    private static Option<OutputFormat> CreateOutput()
    {
        var output = new Option<OutputFormat>("--output", "-o")
        {
            Description = "text (readable, the default), json (the REST object) or jsonl (one JSON object per line; for watch, one live change per line).",
            Recursive = true,
            DefaultValueFactory = _ => OutputFormat.Text,
            CustomParser = r => r.Tokens[0].Value.ToLowerInvariant() switch
            {
                "text" => OutputFormat.Text,
                "json" => OutputFormat.Json,
                "jsonl" => OutputFormat.Jsonl,
                var other => Fail(r, other),
            },
            HelpName = "text|json|jsonl",
        };
        return output;

        static OutputFormat Fail(System.CommandLine.Parsing.ArgumentResult r, string value)
        {
            r.AddError($"--output '{value}' is not one of text, json, jsonl");
            return OutputFormat.Text;
        }
    }
}

/// <summary>What <c>-o</c> asks for.</summary>
public enum OutputFormat
{
    /// <summary>A readable table or tree.</summary>
    Text,

    /// <summary>The REST object, indented.</summary>
    Json,

    /// <summary>One JSON object per line.</summary>
    Jsonl,
}
