using System.Diagnostics;
using System.Net;
using System.Text.Json;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Faults;

/// <summary>
/// Another process holds SQLite's write lock longer than the write timeout (audit finding 1: the
/// writer loop used to die and every later write hung). Writes must be refused with 503 +
/// <c>Retry-After</c> within the bound, readiness must name the writer, and once the lock is gone
/// writes must work again without a restart, with nothing of the refused ones written.
/// </summary>
public sealed class SqliteLockTests
{
    private static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(2);

    // Spec bound, not a performance target: the write timeout plus slack for a loaded machine.
    private static readonly TimeSpan AnswerBound = WriteTimeout + TimeSpan.FromSeconds(2);

    [Fact]
    public async Task A_lock_held_by_another_process_gets_503s_within_the_bound_and_writes_resume_after_it_is_released()
    {
        await using var db = await TestDatabase.CreateAsync(Engine.Sqlite);
        var path = db.Parsed.Value;
        await using var server = await SqliteFaultServer.StartAsync(path, ("Spectral__WriteTimeout", "00:00:02"));
        // Far above the bound: a request that hangs fails here rather than stalling the suite.
        using var http = SqliteFaultServer.Client(server, TimeSpan.FromSeconds(20));
        await http.CreateTaskAsync("locked");
        await (await http.PostJsonAsync("/api/v1/counters", """{"name":"locked_hits"}""")).ExpectAsync(201);

        using var holder = SqliteLockHolder.Take(path);

        var writes = new (string Name, Func<Task<HttpResponseMessage>> Send)[]
        {
            ("v1 event", () => http.PostJsonAsync("/api/v1/tasks/locked/events", """{"type":"log","message":"refused-v1"}""")),
            ("v1 create", () => http.PostJsonAsync("/api/v1/tasks", """{"id":"refused-create"}""")),
            ("v1 batch", () => http.PostJsonAsync("/api/v1/tasks/batch",
                """{"operations":[{"op":"create","id":"refused-batch"},{"op":"event","id":"locked","type":"log","message":"refused-batch"}]}""")),
            ("v1 increment", () => http.PostJsonAsync("/api/v1/counters/locked_hits/increment", "{}")),
            ("compat addEvent", () => http.PostJsonAsync("/tasks/addEvent", """{"taskId":"locked","event":{"type":"log","message":"refused-compat"}}""", "compat-key-1")),
        };
        var answers = await Task.WhenAll(writes.Select(async w =>
        {
            var clock = Stopwatch.StartNew();
            var response = await w.Send();
            return (w.Name, Response: response, Took: clock.Elapsed, Body: await response.Content.ReadAsStringAsync());
        }));
        foreach (var (name, response, took, body) in answers)
        {
            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{name}: expected 503, got {(int)response.StatusCode}: {body}");
            Assert.True(took < AnswerBound, $"{name}: the 503 took {took.TotalMilliseconds:0} ms, over the bound of {AnswerBound.TotalSeconds} s");
            Assert.True(response.Headers.RetryAfter?.Delta is { } delta && delta > TimeSpan.Zero, $"{name}: no Retry-After");
            TestContext.Current.TestOutputHelper?.WriteLine($"{name}: 503 after {took.TotalMilliseconds:0} ms");
        }
        Assert.Contains("locked", JsonDocument.Parse(answers[0].Body).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("SERVICE_UNAVAILABLE", JsonDocument.Parse(answers[^1].Body).RootElement.GetProperty("code").GetString());

        // Readiness names the failing writer while the lock is held; so do the metrics and the log.
        var ready = await http.GetAsync("/readyz");
        var readyBody = await ready.Content.ReadAsStringAsync();
        Assert.True(ready.StatusCode == HttpStatusCode.ServiceUnavailable, $"/readyz while locked: {(int)ready.StatusCode} {readyBody}");
        var components = JsonDocument.Parse(readyBody).RootElement.GetProperty("components").EnumerateArray()
            .Select(c => c.GetProperty("component").GetString()).ToList();
        Assert.Contains("sqlite-writer", components);
        Assert.Contains("spectral_component_up{component=\"sqlite-writer\"} 0", await http.GetStringAsync("/metrics"), StringComparison.Ordinal);
        await Eventually.TrueAsync(() => Task.FromResult(server.Output.Contains("sqlite-writer is failing (retrying with backoff)", StringComparison.Ordinal)),
            "the server logs that the writer is failing");

        holder.Release();

        // Writes come back on their own; each attempt is either refused (and writes nothing) or done.
        var attempt = 0;
        await Eventually.TrueAsync(async () =>
        {
            var r = await http.PostJsonAsync("/api/v1/tasks/locked/events", $$"""{"type":"log","message":"after-{{++attempt}}"}""");
            Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.ServiceUnavailable, $"after release: {(int)r.StatusCode}");
            return r.StatusCode == HttpStatusCode.Created;
        }, "a write succeeds after the lock is released", TimeSpan.FromSeconds(15));
        await Eventually.TrueAsync(async () => (await http.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK, "/readyz answers 200 again");
        Assert.Contains("spectral_component_up{component=\"sqlite-writer\"} 1", await http.GetStringAsync("/metrics"), StringComparison.Ordinal);
        await Eventually.TrueAsync(() => Task.FromResult(server.Output.Contains("sqlite-writer recovered", StringComparison.Ordinal)),
            "the server logs the recovery");

        // The refused writes left nothing: only the last attempt after the release is in the history.
        var messages = (await SqliteFaultServer.EventsAsync(http, "locked")).Select(e => e.GetProperty("message").GetString()).ToList();
        Assert.Equal(["Task created", $"after-{attempt}"], messages);
        await (await http.GetAsync("/api/v1/tasks/refused-create")).ExpectAsync(404);
        await (await http.GetAsync("/api/v1/tasks/refused-batch")).ExpectAsync(404);
        Assert.Equal(0, (await (await http.GetAsync("/api/v1/counters/locked_hits")).ExpectAsync(200)).GetProperty("value").GetInt64());

        // The refused compat call released its Idempotency-Key: the client's retry runs, once.
        var retried = await (await http.PostJsonAsync("/tasks/addEvent", """{"taskId":"locked","event":{"type":"log","message":"refused-compat"}}""", "compat-key-1")).ExpectAsync(200);
        Assert.False(retried.GetProperty("__idempotency").GetProperty("cached").GetBoolean());
        var after = (await SqliteFaultServer.EventsAsync(http, "locked")).Count(e => e.GetProperty("message").GetString() == "refused-compat");
        Assert.Equal(1, after);
    }
}
