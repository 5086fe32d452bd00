using System.Diagnostics;
using System.Text.Json;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Faults;

/// <summary>
/// SIGKILL in the middle of a burst of acknowledged writes of every kind, then a restart on the same
/// file. The writer completes a caller only after its COMMIT returned (synchronous=FULL), so every
/// acknowledged write must be there after the crash, and nothing may be there twice.
/// </summary>
public sealed class SqliteKillTests
{
    private const int Clients = 32;

    // Kill mid-burst: after this many acknowledgements or this long, whichever comes first.
    private const int KillAfterAcks = 600;
    private static readonly TimeSpan KillAfter = TimeSpan.FromSeconds(2);

    private static readonly string[] EventTasks = ["ev-0", "ev-1", "ev-2", "ev-3"];
    private static readonly string[] BatchTasks = ["bt-0", "bt-1"];
    private static readonly string[] CompatTasks = ["cp-0", "cp-1"];

    [Fact]
    public async Task Kill_9_mid_burst_loses_no_acknowledged_write_and_doubles_none()
    {
        await using var db = await TestDatabase.CreateAsync(Engine.Sqlite);
        var path = db.Parsed.Value;
        var log = TestContext.Current.TestOutputHelper;
        var ledger = new AckLedger();
        var burst = new Burst(ledger);

        var server = await SqliteFaultServer.StartAsync(path);
        try
        {
            using var http = SqliteFaultServer.Client(server, TimeSpan.FromSeconds(15));
            foreach (var id in EventTasks.Concat(BatchTasks).Concat(CompatTasks))
            {
                await http.CreateTaskAsync(id);
            }
            await (await http.PostJsonAsync("/api/v1/counters", """{"name":"hits"}""")).ExpectAsync(201);

            var clients = Enumerable.Range(0, Clients).Select(c => Task.Run(() => burst.RunClientAsync(c, http))).ToArray();
            var clock = Stopwatch.StartNew();
            await Task.WhenAny(ledger.WhenCount(KillAfterAcks), Task.Delay(KillAfter));
            burst.Killed = true;
            server.Kill();
            log?.WriteLine($"SIGKILL at {clock.Elapsed.TotalMilliseconds:0} ms with {ledger.Count} writes acknowledged");
            await Task.WhenAll(clients).WaitAsync(TimeSpan.FromSeconds(30));
            await server.WaitForExitAsync();
        }
        finally
        {
            await server.DisposeAsync();
        }
        Assert.Empty(ledger.Unexpected);
        foreach (var kind in Burst.Kinds)
        {
            Assert.True(ledger.Of(kind).Any(), $"no {kind} was acknowledged before the kill; the burst proves nothing for it");
        }
        log?.WriteLine(string.Join(", ", Burst.Kinds.Select(k => $"{ledger.Of(k).Count()} {k}")));

        await using var restarted = await SqliteFaultServer.StartAsync(path);
        using var read = SqliteFaultServer.Client(restarted, TimeSpan.FromSeconds(15));
        await AssertEventsAsync(read, ledger);
        await AssertTasksAsync(read, ledger);
        await AssertCounterAsync(read, ledger);
        await AssertRunsAsync(read, ledger);
    }

    /// <summary>Every acknowledged event is at its seq with its message; no message is there twice.</summary>
    private static async Task AssertEventsAsync(HttpClient http, AckLedger ledger)
    {
        foreach (var task in EventTasks.Concat(BatchTasks).Concat(CompatTasks))
        {
            var events = await SqliteFaultServer.EventsAsync(http, task);
            var messages = events.Select(e => e.GetProperty("message").GetString()!).ToList();
            var doubled = messages.GroupBy(m => m).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            Assert.True(doubled.Count == 0, $"{task}: written twice: {string.Join(", ", doubled.Take(10))}");
            var bySeq = events.ToDictionary(e => e.GetProperty("seq").GetInt64(), e => e.GetProperty("message").GetString());
            foreach (var ack in ledger.Acks.Where(a => a.Id == task))
            {
                if (ack.Kind == Burst.Compat)
                {
                    Assert.Contains(ack.Text, messages); // the compat answer has no v1 seq
                    continue;
                }
                Assert.True(bySeq.TryGetValue(ack.Number, out var message), $"{task}: acknowledged seq {ack.Number} ({ack.Text}) is missing");
                Assert.Equal(ack.Text, message);
            }
        }
    }

    /// <summary>Every acknowledged create (alone or in a batch) and every acknowledged run exists.</summary>
    private static async Task AssertTasksAsync(HttpClient http, AckLedger ledger)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        string? cursor = null;
        do
        {
            var page = await (await http.GetAsync($"/api/v1/tasks?limit=500{(cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}")}")).ExpectAsync(200);
            ids.UnionWith(page.GetProperty("data").EnumerateArray().Select(t => t.GetProperty("id").GetString()!));
            cursor = page.GetProperty("next").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next").GetString();
        }
        while (cursor is not null);
        var expected = ledger.Of(Burst.Create).Select(a => a.Id)
            .Concat(ledger.Of(Burst.Batch).Select(a => a.Text!)) // the batch's create has the event's message as its id
            .Concat(ledger.Of(Burst.RunCreated).Select(a => a.Id));
        var missing = expected.Where(id => !ids.Contains(id)).ToList();
        Assert.True(missing.Count == 0, $"acknowledged but missing after the crash: {string.Join(", ", missing.Take(10))} ({missing.Count})");
    }

    /// <summary>
    /// The counter holds at least every acknowledged increment and at most every attempted one: an
    /// increment cut before its answer may legally have committed. Its history has one entry per increment.
    /// </summary>
    private static async Task AssertCounterAsync(HttpClient http, AckLedger ledger)
    {
        var counter = await (await http.GetAsync("/api/v1/counters/hits")).ExpectAsync(200);
        var value = counter.GetProperty("value").GetInt64();
        var acked = ledger.Of(Burst.Increment).ToList();
        var attempted = ledger.Attempts(Burst.Increment);
        Assert.InRange(value, acked.Count, attempted);
        Assert.True(value >= acked.Max(a => a.Number), $"value {value} is below an acknowledged value {acked.Max(a => a.Number)}");
        Assert.Equal(value + 1, counter.GetProperty("lastSeq").GetInt64()); // seq 1 is the create
    }

    /// <summary>Every acknowledged completion: the run is done, its task succeeded, with exactly one completion event.</summary>
    private static async Task AssertRunsAsync(HttpClient http, AckLedger ledger)
    {
        foreach (var ack in ledger.Of(Burst.RunCompleted))
        {
            var run = await (await http.GetAsync($"/api/v1/runs/{ack.Id}")).ExpectAsync(200);
            Assert.Equal("done", run.GetProperty("state").GetString());
            var task = await (await http.GetAsync($"/api/v1/tasks/{ack.Id}")).ExpectAsync(200);
            Assert.Equal("success", task.GetProperty("status").GetString());
            var events = await SqliteFaultServer.EventsAsync(http, ack.Id);
            Assert.Single(events, e => e.GetProperty("type").GetString() == "success");
        }
    }

    /// <summary>The 32 clients: each writes one kind in a loop, recording what it was told, until the server dies.</summary>
    private sealed class Burst(AckLedger ledger)
    {
        public const string Event = "event", Create = "create", Batch = "batch", Increment = "increment", Compat = "compat",
            RunCreated = "run-created", RunCompleted = "run-completed";

        public static readonly string[] Kinds = [Event, Create, Batch, Increment, Compat, RunCreated, RunCompleted];

        private volatile bool _killed;

        /// <summary>Set just before the SIGKILL: transport errors after it are the crash, before it a failure.</summary>
        public bool Killed { get => _killed; set => _killed = value; }

        public async Task RunClientAsync(int c, HttpClient http)
        {
            for (var i = 0; !Killed; i++)
            {
                try
                {
                    await (c switch
                    {
                        < 10 => EventAsync(http, EventTasks[c % EventTasks.Length], $"e-{c}-{i}"),
                        < 15 => CreateAsync(http, $"cr-{c}-{i}"),
                        < 20 => BatchAsync(http, BatchTasks[c % BatchTasks.Length], $"b-{c}-{i}"),
                        < 24 => IncrementAsync(http),
                        < 28 => CompatAsync(http, CompatTasks[c % CompatTasks.Length], $"x-{c}-{i}"),
                        _ => JobAsync(http, $"q-{c}", $"run-{c}-{i}"),
                    });
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
                {
                    if (!Killed)
                    {
                        ledger.Refused($"client {c}: {ex.GetType().Name}: {ex.Message}");
                    }
                    return; // the server is gone
                }
            }
        }

        private async Task EventAsync(HttpClient http, string task, string message)
        {
            ledger.Attempt(Event);
            if (await Answer(http.PostJsonAsync($"/api/v1/tasks/{task}/events", $$"""{"type":"log","message":"{{message}}"}""")) is { } e)
            {
                ledger.Acknowledged(Event, task, e.GetProperty("seq").GetInt64(), message);
            }
        }

        private async Task CreateAsync(HttpClient http, string id)
        {
            ledger.Attempt(Create);
            if (await Answer(http.PostJsonAsync("/api/v1/tasks", $$"""{"id":"{{id}}"}""")) is not null)
            {
                ledger.Acknowledged(Create, id);
            }
        }

        private async Task BatchAsync(HttpClient http, string task, string message)
        {
            ledger.Attempt(Batch);
            var body = $$"""{"operations":[{"op":"create","id":"{{message}}"},{"op":"event","id":"{{task}}","type":"log","message":"{{message}}"}]}""";
            if (await Answer(http.PostJsonAsync("/api/v1/tasks/batch", body)) is { } r)
            {
                ledger.Acknowledged(Batch, task, r.GetProperty("data")[1].GetProperty("event").GetProperty("seq").GetInt64(), message);
            }
        }

        private async Task IncrementAsync(HttpClient http)
        {
            ledger.Attempt(Increment);
            if (await Answer(http.PostJsonAsync("/api/v1/counters/hits/increment", "{}")) is { } counter)
            {
                ledger.Acknowledged(Increment, "hits", counter.GetProperty("value").GetInt64());
            }
        }

        private async Task CompatAsync(HttpClient http, string task, string message)
        {
            ledger.Attempt(Compat);
            var body = $$$"""{"taskId":"{{{task}}}","event":{"type":"log","message":"{{{message}}}"}}""";
            if (await Answer(http.PostJsonAsync("/tasks/addEvent", body, idempotencyKey: "key-" + message)) is not null)
            {
                ledger.Acknowledged(Compat, task, 0, message);
            }
        }

        /// <summary>Enqueue a run on the client's own queue, claim it as an HTTP worker, complete it.</summary>
        private async Task JobAsync(HttpClient http, string queue, string runId)
        {
            ledger.Attempt(RunCreated);
            if (await Answer(http.PostJsonAsync("/api/v1/runs", $$$"""{"runs":[{"id":"{{{runId}}}","type":"fault","queue":"{{{queue}}}"}]}""")) is null)
            {
                return;
            }
            ledger.Acknowledged(RunCreated, runId);
            var claim = await Answer(http.PostJsonAsync("/api/v1/workers/claim", $$"""{"workerId":"w-{{queue}}","queues":["{{queue}}"],"max":1,"leaseSeconds":60}"""));
            if (claim?.GetProperty("runs") is not { } runs)
            {
                return;
            }
            if (runs.GetArrayLength() != 1 || runs[0].GetProperty("id").GetString() != runId)
            {
                ledger.Refused($"claim on {queue} did not return {runId}: {runs}");
                return;
            }
            ledger.Attempt(RunCompleted);
            var token = runs[0].GetProperty("leaseToken").GetString();
            if (await Answer(http.PostJsonAsync($"/api/v1/runs/{runId}/complete", $$$"""{"leaseToken":"{{{token}}}","result":{"ok":true}}""")) is not null)
            {
                ledger.Acknowledged(RunCompleted, runId);
            }
        }

        /// <summary>The JSON of a 2xx answer; null (and noted, unless the server is being killed) for any other.</summary>
        private async Task<JsonElement?> Answer(Task<HttpResponseMessage> sending)
        {
            using var response = await sending;
            var text = await response.Content.ReadAsStringAsync();
            if (response.IsSuccessStatusCode)
            {
                using var doc = JsonDocument.Parse(text);
                return doc.RootElement.Clone();
            }
            if (!Killed)
            {
                ledger.Refused($"{response.RequestMessage?.RequestUri?.AbsolutePath}: {(int)response.StatusCode} {text}");
            }
            return null;
        }
    }
}
