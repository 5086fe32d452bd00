using System.Text.Json;
using SpectralNotify.Client;
using SpectralNotify.Worker.Protocol;

namespace SpectralNotify.Worker;

/// <summary>
/// The calls of the HTTP worker protocol, one try each (<see cref="CallRetry"/> retries them). Claims
/// go through their own HttpClient, whose timeout outlasts the long poll; every other call through
/// one bounded by <see cref="SpectralWorkerOptions.CallTimeout"/>. Paths are relative, so a base
/// address with a path (a server behind a prefix) keeps it.
/// </summary>
internal sealed class WorkerApi(SpectralHttp calls, SpectralHttp claims)
{
    public async Task<IReadOnlyList<ClaimedRun>> ClaimAsync(ClaimBody body, string idempotencyKey, CancellationToken ct)
    {
        var answer = await claims.SendAsync<ClaimAnswer>("workers.claim", HttpMethod.Post, "api/v1/workers/claim", body, Key(idempotencyKey), ct).ConfigureAwait(false);
        return answer?.Runs ?? [];
    }

    /// <summary>Renews the lease. Repeating a heartbeat is harmless, so it carries no key (and writes no idempotency row).</summary>
    public async Task<HeartbeatAnswer> HeartbeatAsync(string runId, HeartbeatBody body, CancellationToken ct) =>
        await calls.SendAsync<HeartbeatAnswer>("runs.heartbeat", HttpMethod.Post, $"{Run(runId)}/heartbeat", body, null, ct).ConfigureAwait(false)
            ?? new HeartbeatAnswer(null, false);

    public Task CompleteAsync(string runId, CompleteBody body, string idempotencyKey, CancellationToken ct) =>
        calls.SendAsync("runs.complete", HttpMethod.Post, $"{Run(runId)}/complete", body, Key(idempotencyKey), ct);

    public Task FailAsync(string runId, FailBody body, string idempotencyKey, CancellationToken ct) =>
        calls.SendAsync("runs.fail", HttpMethod.Post, $"{Run(runId)}/fail", body, Key(idempotencyKey), ct);

    public Task ProgressAsync(string runId, ProgressBody body, string idempotencyKey, CancellationToken ct) =>
        calls.SendAsync("tasks.progress", HttpMethod.Post, $"{Task(runId)}/progress", body, Key(idempotencyKey), ct);

    public Task EventAsync(string runId, EventBody body, string idempotencyKey, CancellationToken ct) =>
        calls.SendAsync("tasks.events", HttpMethod.Post, $"{Task(runId)}/events", body, Key(idempotencyKey), ct);

    public async Task<string> ToolStartAsync(string runId, ToolStartBody body, string idempotencyKey, CancellationToken ct)
    {
        var started = await calls.SendAsync<ToolStarted>("tools.start", HttpMethod.Post, $"{Task(runId)}/tools", body, Key(idempotencyKey), ct).ConfigureAwait(false);
        return started?.Id ?? throw new JsonException("tools.start: the answer has no execution id");
    }

    public Task ToolCompleteAsync(string runId, string executionId, ToolCompleteBody body, string idempotencyKey, CancellationToken ct) =>
        calls.SendAsync("tools.complete", HttpMethod.Post, $"{Task(runId)}/tools/{Uri.EscapeDataString(executionId)}/complete", body, Key(idempotencyKey), ct);

    public Task ToolFailAsync(string runId, string executionId, ToolFailBody body, string idempotencyKey, CancellationToken ct) =>
        calls.SendAsync("tools.fail", HttpMethod.Post, $"{Task(runId)}/tools/{Uri.EscapeDataString(executionId)}/fail", body, Key(idempotencyKey), ct);

    private static string Run(string id) => $"api/v1/runs/{Uri.EscapeDataString(id)}";

    private static string Task(string id) => $"api/v1/tasks/{Uri.EscapeDataString(id)}";

    private static RequestOptions Key(string idempotencyKey) => new() { IdempotencyKey = idempotencyKey };
}
