using System.Diagnostics;
using System.Net;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Faults;

/// <summary>
/// The disk under the SQLite file fills up (a real 4 MiB tmpfs). Writes must be refused with 503
/// (never a 500, never a hang) and leave nothing behind, the file must stay intact, and once space
/// is freed writes must work again without a restart.
/// </summary>
public sealed class SqliteDiskFullTests
{
    // A write is refused within the write timeout (default 5 s) plus slack; far below the client timeout.
    private static readonly TimeSpan AnswerBound = TimeSpan.FromSeconds(7);

    [Fact]
    public async Task A_full_disk_gets_503s_keeps_the_file_intact_and_writes_resume_once_space_is_freed()
    {
        await using var disk = await SmallFilesystem.MountAsync("4m");
        var path = Path.Combine(disk.Path, "s.db");
        var log = TestContext.Current.TestOutputHelper;
        string? junk = null;
        var server = await SqliteFaultServer.StartAsync(path);
        try
        {
            using var http = SqliteFaultServer.Client(server, TimeSpan.FromSeconds(30));
            await http.CreateTaskAsync("big");
            // Leave a little room, then write 60 KB events, 8 at a time so they share group commits,
            // until the disk has refused writes in three rounds.
            junk = disk.Fill("junk", leaveFree: 256 * 1024);
            var filler = new string('x', 60_000);
            var acknowledged = new List<string>();
            var refused = new List<string>();
            var refusedRounds = 0;
            for (var round = 0; refusedRounds < 3; round++)
            {
                Assert.True(round < 50, $"the disk never filled: {acknowledged.Count} writes acknowledged");
                var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(async j =>
                {
                    var message = $"fill-{round}-{j}";
                    var clock = Stopwatch.StartNew();
                    var response = await http.PostJsonAsync("/api/v1/tasks/big/events",
                        $$$"""{"type":"log","message":"{{{message}}}","metadata":{"filler":"{{{filler}}}"}}""");
                    return (message, response, clock.Elapsed, Body: await response.Content.ReadAsStringAsync());
                }));
                foreach (var (message, response, took, body) in answers)
                {
                    Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.ServiceUnavailable or HttpStatusCode.InsufficientStorage,
                        $"{message}: expected 201, 503 or 507, got {(int)response.StatusCode}: {body}");
                    Assert.True(took < AnswerBound, $"{message} took {took.TotalMilliseconds:0} ms");
                    if (response.IsSuccessStatusCode)
                    {
                        acknowledged.Add(message);
                        continue;
                    }
                    Assert.NotNull(response.Headers.RetryAfter);
                    refused.Add(message);
                    log?.WriteLine($"{message}: {(int)response.StatusCode} after {took.TotalMilliseconds:0} ms: {body}");
                }
                refusedRounds += answers.Any(a => !a.response.IsSuccessStatusCode) ? 1 : 0;
            }

            // Other kinds of write are refused the same way, and compat keeps its envelope.
            var create = await http.PostJsonAsync("/api/v1/tasks", $$$"""{"id":"refused-create","metadata":{"filler":"{{{filler}}}"}}""");
            // A full disk is not all-or-nothing (a write may still fit in a freed page): what matters is that the
            // answer is the truth, 201 with the task stored or 503 with nothing stored, never a 500 or a hang.
            var createApplied = create.StatusCode == HttpStatusCode.Created;
            Assert.True(createApplied || create.StatusCode == HttpStatusCode.ServiceUnavailable,
                $"create on a full disk: {(int)create.StatusCode} {await create.Content.ReadAsStringAsync()}");
            var compat = await http.PostJsonAsync("/tasks/addEvent",
                $$$$"""{"taskId":"big","event":{"type":"log","message":"refused-compat","metadata":{"filler":"{{{{filler}}}}"}}}""", "disk-full-1");
            var compatBody = await compat.Content.ReadAsStringAsync();
            // Either the event itself was refused (503, nothing written), or it committed and only storing its
            // idempotent answer hit the full disk: then the caller still gets the real answer (and the key stays claimed).
            var compatApplied = compat.StatusCode == HttpStatusCode.OK;
            Assert.True(compatApplied || compat.StatusCode == HttpStatusCode.ServiceUnavailable, $"compat on a full disk: {(int)compat.StatusCode} {compatBody}");
            Assert.Contains(compatApplied ? "\"task\"" : "SERVICE_UNAVAILABLE", compatBody, StringComparison.Ordinal);
            Assert.Matches("spectral_component_failures_total\\{component=\"sqlite-writer\"\\} [1-9]", await http.GetStringAsync("/metrics"));

            // The file is undamaged while the disk is still full.
            Assert.Equal("ok", SqliteFaultServer.IntegrityCheck(path));

            // Free the space: writes resume on the running server.
            File.Delete(junk);
            var attempt = 0;
            await Eventually.TrueAsync(async () =>
            {
                var r = await http.PostJsonAsync("/api/v1/tasks/big/events", $$"""{"type":"log","message":"after-{{++attempt}}"}""");
                Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.ServiceUnavailable, $"after freeing space: {(int)r.StatusCode}");
                return r.StatusCode == HttpStatusCode.Created;
            }, "a write succeeds after space is freed", TimeSpan.FromSeconds(15));
            await Eventually.TrueAsync(async () => (await http.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK, "/readyz answers 200 again");

            // Every acknowledged write is there, no refused v1 write is, and the file is intact.
            var messages = (await SqliteFaultServer.EventsAsync(http, "big")).Select(e => e.GetProperty("message").GetString()!).ToList();
            // The compat event is there exactly when its caller was told so.
            var compatCopies = messages.RemoveAll(m => m == "refused-compat");
            Assert.Equal(compatApplied ? 1 : 0, compatCopies);
            log?.WriteLine($"compat addEvent on the full disk answered {(int)compat.StatusCode}; its event is {(compatCopies == 1 ? "committed" : "absent")}");
            string[] expected = ["Task created", .. acknowledged.Order(StringComparer.Ordinal), $"after-{attempt}"];
            string[] actual = [messages[0], .. messages[1..^1].Order(StringComparer.Ordinal), messages[^1]];
            Assert.Equal(expected, actual);
            await (await http.GetAsync("/api/v1/tasks/refused-create")).ExpectAsync(createApplied ? 200 : 404);
            Assert.Equal("ok", SqliteFaultServer.IntegrityCheck(path));
            log?.WriteLine($"{acknowledged.Count} writes acknowledged and {refused.Count} refused while the disk filled; writes resumed after {attempt} attempt(s)");
        }
        finally
        {
            await server.DisposeAsync(); // the file system cannot be unmounted while the server has files open
        }
    }
}
