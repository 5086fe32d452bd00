using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace SpectralNotify.Bench;

/// <summary>
/// Writes to many tasks through <c>POST /api/v1/tasks/batch</c> (up to 250 operations, one
/// transaction each): the tasks are split into lanes of <c>batch</c> tasks, and every tick sends
/// one batch per lane with one <c>event</c> per task, open loop. A lane's batches always name its
/// tasks in the same order, so concurrent batches of one lane queue behind each other instead of
/// deadlocking, and batches of different lanes never touch the same task.
/// </summary>
internal sealed class BatchWriter(HttpClient client, IReadOnlyList<string> taskIds, int batch)
{
    private const string Path = "/api/v1/tasks/batch";

    public string[][] Lanes { get; } = taskIds.Chunk(batch).ToArray();

    public sealed record Result(bool[,] Ok, double Seconds, LatencySummary PostLatency, SortedDictionary<string, long> Errors, long EventsOk);

    /// <summary>Creates every task, one batch per lane, <paramref name="concurrency"/> at a time.</summary>
    public async Task CreateAllAsync(string title, int concurrency, CancellationToken ct)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Math.Min(concurrency, Lanes.Length)).Select(async _ =>
        {
            int lane;
            while ((lane = Interlocked.Increment(ref next)) < Lanes.Length)
            {
                var body = Body(Lanes[lane], (w, id) =>
                {
                    w.WriteString("op", "create");
                    w.WriteString("id", id);
                    w.WriteString("title", title);
                });
                if (await Http.SendAsync(client, Path, body, HttpStatusCode.OK, ct) is { } error)
                {
                    throw new InvalidOperationException($"creating the tasks of lane {lane}: {error}");
                }
            }
        }));
    }

    /// <summary>
    /// Tick t (0 … ticks-1) goes out at start + t/rate: one batch per lane, each event's message the
    /// <see cref="Marker"/> of <c>t + tickOffset</c> and its send time (negative ticks mark a warm-up).
    /// </summary>
    public async Task<Result> RunAsync(double rate, int ticks, int tickOffset, CancellationToken ct)
    {
        var lanes = Lanes.Length;
        var ok = new bool[ticks, lanes];
        var postMs = new double[ticks * lanes];
        var errors = new string?[ticks * lanes];
        var seconds = await OpenLoop.RunAsync(ticks * lanes, rate * lanes, async n =>
        {
            var (tick, lane) = (n / lanes, n % lanes);
            var sent = Stopwatch.GetTimestamp();
            var message = Marker.Format(tick + tickOffset, sent);
            var body = Body(Lanes[lane], (w, id) =>
            {
                w.WriteString("op", "event");
                w.WriteString("id", id);
                w.WriteString("type", "log");
                w.WriteString("message", message);
            });
            errors[n] = await Http.SendAsync(client, Path, body, HttpStatusCode.OK, ct);
            ok[tick, lane] = errors[n] is null;
            postMs[n] = Fmt.Ms(Stopwatch.GetTimestamp() - sent);
        }, ct);
        long events = 0;
        for (var n = 0; n < ticks * lanes; n++)
        {
            events += errors[n] is null ? Lanes[n % lanes].Length : 0;
        }
        return new Result(ok, seconds, LatencySummary.From(postMs.Where((_, n) => errors[n] is null).ToArray()), OpenLoop.Tally(errors), events);
    }

    private static byte[] Body(string[] ids, Action<Utf8JsonWriter, string> operation)
    {
        var buffer = new ArrayBufferWriter<byte>(ids.Length * 96);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartArray("operations");
            foreach (var id in ids)
            {
                w.WriteStartObject();
                operation(w, id);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
