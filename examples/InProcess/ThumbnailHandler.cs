using System.Text.Json;
using SpectralNotify.Handlers;

namespace InProcessExample;

/// <summary>
/// Makes thumbnails of the sizes in the payload (<c>{"image":"a.png","sizes":[64,128]}</c>), one
/// step per size: each step is a tool execution and a progress report on the run's task. The same
/// class would run unchanged in SpectralNotify.Worker on another machine.
/// </summary>
public sealed class ThumbnailHandler(ILogger<ThumbnailHandler> log) : IJobHandler
{
    /// <inheritdoc />
    public async Task<JsonElement?> HandleAsync(IJobContext context, CancellationToken ct)
    {
        if (!context.Payload.TryGetProperty("image", out var image) || image.ValueKind != JsonValueKind.String)
        {
            // Retrying cannot fix a bad payload: fail the run now.
            throw new JobFailure("the payload needs \"image\": a file name", retryable: false);
        }
        int[] sizes = context.Payload.TryGetProperty("sizes", out var s) ? s.Deserialize<int[]>() ?? [] : [128];
        var made = new List<string>();
        for (var i = 0; i < sizes.Length; i++)
        {
            ct.ThrowIfCancellationRequested();
            var resize = await context.ToolStartAsync("resize", JsonSerializer.SerializeToElement(new { image = image.GetString(), size = sizes[i] }), ct);
            var name = $"{Path.GetFileNameWithoutExtension(image.GetString())}-{sizes[i]}.png";
            made.Add(name);
            await context.ToolCompleteAsync(resize, JsonSerializer.SerializeToElement(new { file = name }), ct);
            await context.ProgressAsync(100.0 * (i + 1) / sizes.Length, $"made {name}", ct);
        }
        log.LogInformation("Run {Run} (attempt {Attempt}) made {Count} thumbnails", context.RunId, context.Attempt, made.Count);
        return JsonSerializer.SerializeToElement(new { thumbnails = made });
    }
}
