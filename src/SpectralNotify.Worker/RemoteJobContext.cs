using System.Text.Json;
using SpectralNotify.Handlers;
using SpectralNotify.Worker.Protocol;

namespace SpectralNotify.Worker;

/// <summary>
/// The handler's view of a claimed run: its reports go to the run's task over HTTP. Each report is
/// one logical call with its own <c>Idempotency-Key</c>, retried until the server answers, so a
/// progress sent while the server restarts lands once. A report stops being retried when the
/// handler's token for it fires or when the attempt is <paramref name="abandoned"/> (lease lost,
/// host stopping for good).
/// </summary>
internal sealed class RemoteJobContext(ClaimedRun run, WorkerApi api, CallRetry retry, CancellationToken abandoned) : IJobContext
{
    public string RunId => run.Id;

    public string? JobId => run.JobId;

    public string Type => run.Type;

    public int Attempt => run.Attempt;

    public JsonElement Payload => run.Payload;

    public Task ProgressAsync(double progress, string? message = null, CancellationToken ct = default) =>
        SendAsync("progress", (key, c) => api.ProgressAsync(run.Id, new ProgressBody(progress, message), key, c), ct);

    public Task EventAsync(string message, string type = "log", double? progress = null, CancellationToken ct = default) =>
        SendAsync("event", (key, c) => api.EventAsync(run.Id, new EventBody(type, message, progress), key, c), ct);

    public async Task<string> ToolStartAsync(string toolName, JsonElement? arguments = null, CancellationToken ct = default)
    {
        var key = NewKey();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, abandoned);
        return await retry.RunAsync($"run {run.Id}: tool start", c => api.ToolStartAsync(run.Id, new ToolStartBody(toolName, arguments), key, c), linked.Token)
            .ConfigureAwait(false);
    }

    public Task ToolCompleteAsync(string executionId, JsonElement? result = null, CancellationToken ct = default) =>
        SendAsync("tool complete", (key, c) => api.ToolCompleteAsync(run.Id, executionId, new ToolCompleteBody(result), key, c), ct);

    public Task ToolFailAsync(string executionId, string error, CancellationToken ct = default) =>
        SendAsync("tool fail", (key, c) => api.ToolFailAsync(run.Id, executionId, new ToolFailBody(error), key, c), ct);

    private async Task SendAsync(string what, Func<string, CancellationToken, Task> call, CancellationToken ct)
    {
        var key = NewKey();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, abandoned);
        await retry.RunAsync($"run {run.Id}: {what}", c => call(key, c), linked.Token).ConfigureAwait(false);
    }

    /// <summary>One key per logical call, the same on each of its tries.</summary>
    private static string NewKey() => "w-" + Guid.NewGuid().ToString("N");
}
