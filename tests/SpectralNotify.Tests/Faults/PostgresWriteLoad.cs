using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Faults;

/// <summary>
/// Clients posting events to one task in a loop through one or more nodes while a fault is
/// injected, recording every answer: its status, how long it took, its Retry-After and, for a 201,
/// the acknowledged seq and message. A request that outlives <c>bound</c> is recorded as status 0.
/// </summary>
internal sealed class PostgresWriteLoad : IAsyncDisposable
{
    public sealed record Outcome(int Status, TimeSpan Elapsed, DateTime At, string? RetryAfter, long? Seq, string Message, string Body);

    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<Outcome> _outcomes = new();
    private readonly List<Task> _loops = [];

    private PostgresWriteLoad()
    {
    }

    public static PostgresWriteLoad Start(IReadOnlyList<Uri> nodes, string key, string taskId, int clients, TimeSpan bound)
    {
        var load = new PostgresWriteLoad();
        for (var c = 0; c < clients; c++)
        {
            var client = c;
            load._loops.Add(Task.Run(() => load.RunAsync(nodes[client % nodes.Count], key, taskId, client, bound)));
        }
        return load;
    }

    public IReadOnlyList<Outcome> Outcomes => [.. _outcomes];

    public int CountSince(int status, DateTime since) => _outcomes.Count(o => o.Status == status && o.At >= since);

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
    }

    private async Task RunAsync(Uri node, string key, string taskId, int client, TimeSpan bound)
    {
        using var http = new HttpClient { BaseAddress = node, Timeout = bound };
        http.DefaultRequestHeaders.Add("X-API-Key", key);
        for (var n = 0; !_stop.IsCancellationRequested; n++)
        {
            var message = $"c{client}-{n}";
            var watch = Stopwatch.StartNew();
            try
            {
                using var response = await http.PostJsonAsync($"/api/v1/tasks/{taskId}/events", $$"""{"type":"log","message":"{{message}}"}""");
                var body = await response.Content.ReadAsStringAsync();
                long? seq = null;
                if ((int)response.StatusCode == 201)
                {
                    using var doc = JsonDocument.Parse(body);
                    seq = doc.RootElement.GetProperty("seq").GetInt64();
                }
                _outcomes.Enqueue(new Outcome((int)response.StatusCode, watch.Elapsed, DateTime.UtcNow,
                    response.Headers.RetryAfter?.ToString(), seq, message, body));
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // A hang past the bound (TaskCanceledException) or a dropped connection: both are failures of the server.
                _outcomes.Enqueue(new Outcome(0, watch.Elapsed, DateTime.UtcNow, null, null, message, ex.GetType().Name + ": " + ex.Message));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }
        _stop.Dispose();
    }
}
