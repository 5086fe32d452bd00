using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;

namespace SpectralNotify.Cli;

/// <summary>
/// Usage errors (an unknown verb or option, a missing or bad value): one <c>error:</c> line on stderr
/// naming the verb's help, and exit code <see cref="ExitCode"/>, for every verb. System.CommandLine's
/// own answer (the whole help text and exit code 1) would be mistaken for a failed operation by scripts.
/// </summary>
public static class Usage
{
    /// <summary>The exit code of a usage error.</summary>
    public const int ExitCode = 2;

    /// <summary>The usage error of <paramref name="parsed"/> as one line, or null when it has none or help was asked for.</summary>
    public static string? ErrorOf(ParseResult parsed)
    {
        if (parsed.Errors.Count == 0 || parsed.Action is HelpAction)
        {
            return null;
        }
        // One line: some of System.CommandLine's messages list the allowed values on lines of their own.
        var message = string.Join(' ', parsed.Errors[0].Message.Split((char[])['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return Line(parsed, message);
    }

    /// <summary><c>error: {message} (see 'spectral {verb} --help')</c> for the verb <paramref name="parsed"/> reached.</summary>
    public static string Line(ParseResult parsed, string message)
    {
        var path = string.Join(' ', ["spectral", .. Path(parsed.CommandResult)]);
        return $"error: {message} (see '{path} --help')";
    }

    /// <summary>Writes <see cref="Line"/> to stderr and returns <see cref="ExitCode"/>.</summary>
    public static async Task<int> FailAsync(ParseResult parsed, string message)
    {
        await Console.Error.WriteLineAsync(Line(parsed, message));
        return ExitCode;
    }

    private static IEnumerable<string> Path(CommandResult c) =>
        c.Parent is CommandResult parent ? [.. Path(parent), c.Command.Name] : [];
}
