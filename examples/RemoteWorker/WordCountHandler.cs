using System.Text.Json;
using SpectralNotify.Handlers;

namespace RemoteWorker;

/// <summary>
/// Counts the words of <c>payload.text</c> line by line, reporting progress after each line, and
/// returns <c>{"words", "lines"}</c>. <c>payload.delayMs</c> slows each line down, to watch it live or
/// to try a cancel. The same class runs in the server process too (<c>AddJobHandler</c>).
/// </summary>
public sealed class WordCountHandler : IJobHandler
{
    /// <inheritdoc />
    public async Task<JsonElement?> HandleAsync(IJobContext context, CancellationToken ct)
    {
        if (!context.Payload.TryGetProperty("text", out var textValue) || textValue.ValueKind != JsonValueKind.String)
        {
            // Retrying cannot fix a bad payload.
            throw new JobFailure("payload.text (a string) is required", retryable: false);
        }
        var delay = context.Payload.TryGetProperty("delayMs", out var d) && d.TryGetInt32(out var ms) ? TimeSpan.FromMilliseconds(ms) : TimeSpan.Zero;
        var lines = textValue.GetString()!.Split('\n');
        var tool = await context.ToolStartAsync("split", JsonSerializer.SerializeToElement(new { lines = lines.Length }), ct);
        var words = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            await Task.Delay(delay, ct);
            words += lines[i].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
            await context.ProgressAsync(100.0 * (i + 1) / lines.Length, $"line {i + 1} of {lines.Length}", ct);
        }
        await context.ToolCompleteAsync(tool, JsonSerializer.SerializeToElement(new { words }), ct);
        await context.EventAsync($"counted {words} words on attempt {context.Attempt}", ct: ct);
        return JsonSerializer.SerializeToElement(new { words, lines = lines.Length });
    }
}
