using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using SpectralNotify.Client;

namespace SpectralNotify.Cli;

/// <summary>
/// Writes what a client verb got in the format <c>-o</c> asks for: <c>text</c> a readable table or
/// block, <c>json</c> the REST object (indented), <c>jsonl</c> one JSON object per line (a list: one
/// line per item).
/// </summary>
public static class Output
{
    private static readonly JsonSerializerOptions Indented = new(SpectralJson.Options) { WriteIndented = true };

    /// <summary>One object: <paramref name="text"/> writes it for people.</summary>
    public static int Write<T>(ParseResult p, T value, Action<T> text)
    {
        switch (p.GetValue(GlobalOptions.Output))
        {
            case OutputFormat.Json:
                Console.WriteLine(JsonSerializer.Serialize(value, Indented));
                break;
            case OutputFormat.Jsonl:
                Console.WriteLine(Line(value));
                break;
            default:
                text(value);
                break;
        }
        return ExitCodes.Success;
    }

    /// <summary>A list: a table with <paramref name="columns"/> for people, a JSON array, or one line per item.</summary>
    public static int WriteList<T>(ParseResult p, IReadOnlyList<T> items, params (string Header, Func<T, string> Cell)[] columns)
    {
        switch (p.GetValue(GlobalOptions.Output))
        {
            case OutputFormat.Json:
                Console.WriteLine(JsonSerializer.Serialize(items, Indented));
                break;
            case OutputFormat.Jsonl:
                foreach (var item in items)
                {
                    Console.WriteLine(Line(item));
                }
                break;
            default:
                Table([.. columns.Select(c => c.Header)], [.. items.Select(i => columns.Select(c => c.Cell(i)).ToArray())]);
                break;
        }
        return ExitCodes.Success;
    }

    /// <summary>One compact JSON line in the REST shape.</summary>
    public static string Line<T>(T value) => JsonSerializer.Serialize(value, SpectralJson.Options);

    /// <summary>Columns padded to their widest cell, two spaces apart; the last one unpadded.</summary>
    public static void Table(string[] headers, IReadOnlyList<string[]> rows)
    {
        var widths = headers.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        var sb = new StringBuilder();
        foreach (var row in rows.Prepend(headers))
        {
            for (var i = 0; i < row.Length; i++)
            {
                sb.Append(i == row.Length - 1 ? row[i] : row[i].PadRight(widths[i] + 2));
            }
            Console.WriteLine(sb.ToString().TrimEnd());
            sb.Clear();
        }
    }

    /// <summary><c>Name: value</c> lines, the names aligned; null values left out.</summary>
    public static void Fields(params (string Name, string? Value)[] fields)
    {
        var width = fields.Max(f => f.Name.Length) + 2;
        foreach (var (name, value) in fields)
        {
            if (value is not null)
            {
                Console.WriteLine($"{(name + ":").PadRight(width)}{value}");
            }
        }
    }

    /// <summary>A time as the API writes it (UTC, milliseconds), or <paramref name="none"/>.</summary>
    public static string Time(DateTimeOffset? t, string none = "") =>
        t is { } v ? v.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) : none;

    /// <summary>A percentage such as <c>42.5%</c>.</summary>
    public static string Percent(double progress) => progress.ToString("0.#", CultureInfo.InvariantCulture) + "%";

    /// <summary>JSON for a text field (metadata, payload), compact; null when absent or empty.</summary>
    public static string? Json(JsonElement? element) =>
        element is { ValueKind: not JsonValueKind.Undefined and not JsonValueKind.Null } e && !(e.ValueKind == JsonValueKind.Object && !e.EnumerateObject().Any())
            ? e.GetRawText()
            : null;

    /// <summary>Parses <c>--metadata</c>-style JSON given on the command line.</summary>
    /// <exception cref="CliInputException">Not valid JSON.</exception>
    public static JsonElement? ParseJson(string? text, string option)
    {
        if (text is null)
        {
            return null;
        }
        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new CliInputException($"{option} is not valid JSON: {ex.Message}");
        }
    }
}
