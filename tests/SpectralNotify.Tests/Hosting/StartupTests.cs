using System.Net;
using System.Net.Sockets;
using SpectralNotify.Server.Hosting;
using SpectralNotify.Sqlite;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Hosting;

/// <summary>
/// The real <c>spectral</c> executable refusing to start: one <c>error:</c> line naming the setting,
/// exit code 1, no stack trace, and no database created.
/// </summary>
public sealed class StartupTests
{
    private const string Key = "startup-test-key-000000001";

    [Theory]
    [InlineData("SPECTRAL_DATABASE", "mysql://u:hunter2@x/db", "SPECTRAL_DATABASE=mysql://u:***@x/db")]
    [InlineData("SPECTRAL_DATABASE", "./data/other.db", "SPECTRAL_DATABASE=./data/other.db")]
    [InlineData("SPECTRAL_DATABASE", "sqlite:/proc/nope/x.db", "/proc/nope")]
    [InlineData("Spectral__SchedulerInterval", "00:00:00", "Spectral:SchedulerInterval=00:00:00")]
    [InlineData("Spectral__SessionHeartbeatInterval", "-00:00:01", "Spectral:SessionHeartbeatInterval")]
    [InlineData("Spectral__SweepInterval", "soon", "Spectral:SweepInterval")]
    [InlineData("Spectral__SqliteSynchronous", "SOMETIMES", "Spectral:SqliteSynchronous=SOMETIMES")]
    [InlineData("Spectral__SqliteCacheMiB", "0", "Spectral:SqliteCacheMiB=0")]
    [InlineData("Spectral__SqliteCheckpointPages", "-5", "Spectral:SqliteCheckpointPages=-5")]
    [InlineData("Spectral__WriteTimeout", "00:00:00", "Spectral:WriteTimeout=00:00:00")]
    [InlineData("Spectral__MaxLiveConnections", "lots", "Spectral:MaxLiveConnections")]
    [InlineData("Spectral__MaxLiveConnectionsPerIp", "0", "Spectral:MaxLiveConnectionsPerIp=0")]
    [InlineData("Spectral__SubscriberQueueBytes", "-1", "Spectral:SubscriberQueueBytes=-1")]
    [InlineData("Workers__Prefetch", "-1", "Workers:Prefetch=-1")]
    [InlineData("Workers__LeaseSeconds", "0", "Workers:LeaseSeconds=0")]
    [InlineData("Workers__Queues__default", "many", "Workers:Queues:default=many")]
    [InlineData("Cors__Origins", "app.example.com", "Cors:Origins=app.example.com")]
    [InlineData("SPECTRAL_API_KEY", "short-key", "SPECTRAL_API_KEY=*** (9 characters)")]
    [InlineData("Auth__Keys__0__Key", "tiny", "Auth:Keys:0:Key=*** (4 characters)")]
    public async Task A_bad_setting_is_one_error_line_and_nothing_is_created(string setting, string value, string named)
    {
        await using var db = await TestDatabase.CreateAsync(Engine.Sqlite);
        var env = new Dictionary<string, string> { ["SPECTRAL_DATABASE"] = db.Setting, ["SPECTRAL_API_KEY"] = Key, [setting] = value };
        if (setting == "Auth__Keys__0__Key")
        {
            env["Auth__Keys__0__Scopes__0"] = "read";
        }

        var (code, output) = await ServerProcess.RunAsync(env, "serve", "--urls", $"http://127.0.0.1:{ServerProcess.FreePort()}");

        AssertOneErrorLine(code, output, named);
        Assert.DoesNotContain("hunter2", output, StringComparison.Ordinal);
        if (setting.EndsWith("KEY", StringComparison.OrdinalIgnoreCase))
        {
            Assert.DoesNotContain(value, output, StringComparison.Ordinal);
        }
        Assert.Empty(Directory.GetFiles(db.Folder!));
    }

    [Theory]
    [InlineData("")]
    [InlineData("short")]
    public async Task An_empty_or_short_admin_key_file_is_refused(string content)
    {
        await using var db = await TestDatabase.CreateAsync(Engine.Sqlite);
        var keyFile = Path.Combine(db.Folder!, "admin.key");
        await File.WriteAllTextAsync(keyFile, content);

        var (code, output) = await ServerProcess.RunAsync(
            new Dictionary<string, string> { ["SPECTRAL_DATABASE"] = db.Setting }, "serve", "--urls", $"http://127.0.0.1:{ServerProcess.FreePort()}");

        AssertOneErrorLine(code, output, keyFile);
        Assert.False(File.Exists(Path.Combine(db.Folder!, "spectral.db")), output);
    }

    [Fact]
    public async Task A_port_in_use_is_one_error_line_before_any_migration()
    {
        await using var db = await TestDatabase.CreateAsync(Engine.Sqlite);
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}";

        var (code, output) = await ServerProcess.RunAsync(
            new Dictionary<string, string> { ["SPECTRAL_DATABASE"] = db.Setting, ["SPECTRAL_API_KEY"] = Key }, "serve", "--urls", url);

        AssertOneErrorLine(code, output, url);
        Assert.Contains("already in use", output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(db.Folder!, "spectral.db")), output);
        Assert.DoesNotContain("Applied migration", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_process_on_a_sqlite_file_is_refused_naming_the_first_until_it_dies()
    {
        await using var db = await TestDatabase.CreateAsync(Engine.Sqlite);
        var env = new Dictionary<string, string> { ["SPECTRAL_DATABASE"] = db.Setting, ["SPECTRAL_API_KEY"] = Key };
        var dbPath = Path.GetFullPath(db.Parsed.Value);
        var first = await ServerProcess.StartServerAsync(db.Setting, Key, "first");
        try
        {
            var (code, output) = await ServerProcess.RunAsync(env, "serve", "--urls", $"http://127.0.0.1:{ServerProcess.FreePort()}");
            AssertOneErrorLine(code, output, dbPath);
            Assert.Contains($"PID {first.ProcessId}", output, StringComparison.Ordinal);

            // Writing migration verbs are refused too; reading ones still run beside the server.
            (code, output) = await ServerProcess.RunAsync(env, "migrate", "down");
            AssertOneErrorLine(code, output, $"PID {first.ProcessId}");
            (code, output) = await ServerProcess.RunAsync(env, "migrate", "up");
            AssertOneErrorLine(code, output, $"PID {first.ProcessId}");
            (code, output) = await ServerProcess.RunAsync(env, "migrate", "status");
            Assert.Equal(0, code);
            Assert.DoesNotContain("pending", output, StringComparison.Ordinal);

            using var http = new HttpClient { BaseAddress = first.BaseAddress };
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/readyz")).StatusCode);
        }
        finally
        {
            // SIGKILL: the kernel releases the lock with the process, leaving no stale lock.
            await first.DisposeAsync();
        }

        await using var next = await ServerProcess.StartServerAsync(db.Setting, Key, "next");
        using var client = new HttpClient { BaseAddress = next.BaseAddress };
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);
    }

    [Fact]
    public async Task An_unreachable_postgres_is_retried_with_one_line_per_attempt_then_one_error()
    {
        int closedPort;
        using (var l = new TcpListener(IPAddress.Loopback, 0))
        {
            l.Start();
            closedPort = ((IPEndPoint)l.LocalEndpoint).Port;
        }
        var env = new Dictionary<string, string>
        {
            ["SPECTRAL_DATABASE"] = $"postgres://spectral:hunter2@127.0.0.1:{closedPort}/spectral",
            ["SPECTRAL_API_KEY"] = Key,
            ["Spectral__DatabaseConnectTimeout"] = "00:00:02",
        };

        var (code, output) = await ServerProcess.RunAsync(env, "serve", "--urls", $"http://127.0.0.1:{ServerProcess.FreePort()}");

        AssertOneErrorLine(code, output, $"127.0.0.1:{closedPort}");
        var attempts = output.Split('\n').Count(l => l.Contains($"waiting for PostgreSQL at 127.0.0.1:{closedPort} (attempt ", StringComparison.Ordinal));
        Assert.True(attempts >= 2, output);
        Assert.DoesNotContain("hunter2", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_up_names_the_docs_url_and_the_database()
    {
        await using var db = await TestDatabase.CreateAsync(Engine.Sqlite);
        var info = new Dictionary<string, string> { ["Logging__LogLevel__SpectralNotify.Startup"] = "Information" };
        await using var server = await ServerProcess.StartServerAsync(db.Setting, Key, "banner", settings: info);
        var url = server.BaseAddress.ToString().TrimEnd('/');
        await Eventually.TrueAsync(() => Task.FromResult(server.Output.Contains("SpectralNotify listening", StringComparison.Ordinal)), "the start-up line is printed");
        Assert.Contains($"SpectralNotify listening on {url} (API docs {url}/docs), database sqlite:{Path.GetFullPath(db.Parsed.Value)}",
            server.Output, StringComparison.Ordinal);
        // The server configures SQLite before its first connection: no per-call mutexes (SqliteLibrary).
        Assert.Contains("Database library: SQLite 3.", server.Output, StringComparison.Ordinal);
        Assert.Contains("multi-thread mode", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_process_lock_is_shared_within_a_process_and_released_by_the_last_holder()
    {
        var path = Path.Combine(Path.GetTempPath(), "spectral-tests", Guid.NewGuid().ToString("N"), "x.db");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var a = SqliteProcessLock.Acquire(path);
        var b = SqliteProcessLock.Acquire(path);
        a.Dispose();
        a.Dispose();
        Assert.Equal(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), File.ReadAllText(SqliteProcessLock.LockPathOf(path)).Trim());
        b.Dispose();
        SqliteProcessLock.Acquire(path).Dispose();
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
    }

    [Theory]
    [InlineData("postgres://u:p%40ss@h:5432/db", "postgres://u:***@h:5432/db")]
    [InlineData("Host=h;Username=u;Password=s3cret;Database=d", "Host=h;Username=u;Password=***;Database=d")]
    [InlineData("host=h;pwd=x", "host=h;pwd=***")]
    [InlineData("sqlite:./data/spectral.db", "sqlite:./data/spectral.db")]
    public void Database_settings_are_echoed_with_the_password_masked(string raw, string shown) =>
        Assert.Equal(shown, Secrets.MaskDatabase(raw));

    private static void AssertOneErrorLine(int code, string output, string named)
    {
        Assert.Equal(1, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var errors = lines.Where(l => l.StartsWith("error:", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 1, output);
        Assert.Contains(named, errors[0], StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.StartsWith("at ", StringComparison.Ordinal));
    }
}
