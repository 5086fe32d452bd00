using System.Text.Json;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Worker;

/// <summary>
/// A real <c>spectral</c> process on a test database for remote-worker tests: no in-process workers
/// (the worker under test is the only one), lease expiry noticed within 200 ms, and helpers to
/// enqueue runs and read them back.
/// </summary>
internal sealed class WorkerServer : IAsyncDisposable
{
    public const string Key = "remote-worker-test-key-000001";
    private const string NodeId = "worker-node";

    private WorkerServer(TestDatabase db, ServerProcess process)
    {
        Database = db;
        Process = process;
        Http = NewClient(process.BaseAddress);
    }

    public TestDatabase Database { get; }

    public ServerProcess Process { get; private set; }

    public HttpClient Http { get; private set; }

    public Uri BaseAddress => Process.BaseAddress;

    public static IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Workers__Enabled"] = "false",
        ["Spectral__SchedulerInterval"] = "00:00:00.200",
    };

    public static async Task<WorkerServer> StartAsync(Engine engine)
    {
        var db = await TestDatabase.CreateAsync(engine);
        try
        {
            return new WorkerServer(db, await ServerProcess.StartServerAsync(db.Setting, Key, NodeId, settings: Settings));
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGKILL, as a crash, and wait until the process is gone (its port and file locks released).</summary>
    public async Task KillAsync()
    {
        Process.Kill();
        await Process.WaitForExitAsync();
    }

    /// <summary>Starts the server again on the same address and database (after <see cref="KillAsync"/>).</summary>
    public async Task RestartAsync()
    {
        var port = Process.BaseAddress.Port;
        await Process.DisposeAsync();
        Process = await ServerProcess.StartServerAsync(Database.Setting, Key, NodeId, settings: Settings, port: port);
        Http.Dispose();
        Http = NewClient(Process.BaseAddress);
    }

    /// <summary>Enqueues one run (<c>POST /api/v1/runs</c>); <paramref name="extra"/> adds fields such as <c>,"maxRetries":2</c>.</summary>
    public async Task<string> EnqueueAsync(string type, string payload = "{}", string extra = "")
    {
        var body = await (await Http.PostJsonAsync("/api/v1/runs", $$"""{"runs":[{"type":"{{type}}","payload":{{payload}}{{extra}}}]}""")).ExpectAsync(201);
        return body.GetProperty("runs")[0].GetProperty("id").GetString()!;
    }

    public async Task<JsonElement> RunAsync(string id) => await (await Http.GetAsync($"/api/v1/runs/{id}")).ExpectAsync(200);

    /// <summary>Waits until the run's task has <paramref name="status"/> (success, failed, canceled, pending, in-progress); returns the run.</summary>
    public async Task<JsonElement> WaitForStatusAsync(string id, string status, TimeSpan? within = null)
    {
        JsonElement run = default;
        await Eventually.TrueAsync(async () =>
        {
            run = await RunAsync(id);
            return run.GetProperty("status").GetString() == status;
        }, $"run {id} is {status} (last seen: {(run.ValueKind == JsonValueKind.Undefined ? "-" : run.GetProperty("status").GetString())})",
            within ?? TimeSpan.FromSeconds(60));
        // Read again: GET /api/v1/runs/{id} reads the run and its task in two queries, so the read that
        // saw the task's final status may hold the run from just before (no result yet).
        return await RunAsync(id);
    }

    /// <summary>Every event of the task, oldest first.</summary>
    public async Task<List<JsonElement>> EventsAsync(string task)
    {
        var all = new List<JsonElement>();
        while (true)
        {
            var after = all.Count == 0 ? 0 : all[^1].GetProperty("seq").GetInt64();
            var page = await (await Http.GetAsync($"/api/v1/tasks/{task}/events?after={after}&limit=100")).ExpectAsync(200);
            var data = page.GetProperty("data").EnumerateArray().ToList();
            if (data.Count == 0)
            {
                return all;
            }
            all.AddRange(data);
        }
    }

    public async Task<List<string>> EventMessagesAsync(string task) =>
        [.. (await EventsAsync(task)).Select(e => e.GetProperty("message").GetString()!)];

    private static HttpClient NewClient(Uri address)
    {
        var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("X-API-Key", Key);
        return http;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Process.DisposeAsync();
        await Database.DisposeAsync();
    }
}
