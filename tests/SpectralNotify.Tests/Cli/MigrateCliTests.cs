using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Cli;

/// <summary>The real <c>spectral migrate</c> verbs, run as a process against each engine.</summary>
public sealed class MigrateCliTests
{
    private static readonly int MigrationCount =
        SpectralNotify.Migrations.Migration.FromAssembly(typeof(SpectralNotify.Sqlite.SqliteStore).Assembly).Count;

    private static Task<(int ExitCode, string Output)> Spectral(TestDatabase db, params string[] args) =>
        ServerProcess.RunAsync(new Dictionary<string, string> { ["SPECTRAL_DATABASE"] = db.Setting }, args);

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Migrate_up_down_up_with_status_and_dry_run(Engine engine)
    {
        await using var db = await TestDatabase.CreateAsync(engine);

        var (code, output) = await Spectral(db, "migrate", "status");
        Assert.Equal(0, code);
        Assert.Equal(MigrationCount, output.Split('\n').Count(l => l.Contains("pending", StringComparison.Ordinal)));

        (code, output) = await Spectral(db, "migrate", "dry-run");
        Assert.Equal(0, code);
        Assert.Contains("-- 0001_tasks.up.sql", output, StringComparison.Ordinal);
        Assert.Contains("CREATE TABLE tasks", output, StringComparison.Ordinal);
        Assert.Contains("-- 0003_sessions.up.sql", output, StringComparison.Ordinal);
        (_, output) = await Spectral(db, "migrate", "status");
        Assert.Equal(MigrationCount, output.Split('\n').Count(l => l.Contains("pending", StringComparison.Ordinal)));

        (code, output) = await Spectral(db, "migrate", "up", "--to", "1");
        Assert.Equal((0, true), (code, output.Contains("applied 0001_tasks", StringComparison.Ordinal)));
        Assert.DoesNotContain("0002", output, StringComparison.Ordinal);

        (code, output) = await Spectral(db, "migrate", "up");
        Assert.Equal(0, code);
        Assert.Contains("applied 0002_idempotency", output, StringComparison.Ordinal);
        Assert.Contains("applied 0003_sessions", output, StringComparison.Ordinal);
        (_, output) = await Spectral(db, "migrate", "status");
        Assert.DoesNotContain("pending", output, StringComparison.Ordinal);
        (_, output) = await Spectral(db, "migrate", "dry-run");
        Assert.Contains("Nothing to apply", output, StringComparison.Ordinal);

        (code, output) = await Spectral(db, "migrate", "down");
        Assert.Equal((0, true), (code, output.Contains($"reverted {MigrationCount:D4}_", StringComparison.Ordinal)));
        (code, output) = await Spectral(db, "migrate", "down", "--to", "0");
        Assert.Equal(0, code);
        Assert.Contains("reverted 0002_idempotency", output, StringComparison.Ordinal);
        Assert.Contains("reverted 0001_tasks", output, StringComparison.Ordinal);
        (_, output) = await Spectral(db, "migrate", "status");
        Assert.Equal(MigrationCount, output.Split('\n').Count(l => l.Contains("pending", StringComparison.Ordinal)));

        (code, _) = await Spectral(db, "migrate", "up");
        Assert.Equal(0, code);
        // The schema works after up/down/up: a store can write and read a task.
        await using var store = await db.CreateStoreAsync();
        await store.TaskCreateAsync(new SpectralNotify.Tasks.NewTask { Id = "after-redo" }, default);
        Assert.NotNull(await store.TaskGetAsync("after-redo", default));
    }

    [Fact]
    public async Task Bad_database_setting_fails_with_a_clear_message()
    {
        var (code, output) = await ServerProcess.RunAsync(new Dictionary<string, string> { ["SPECTRAL_DATABASE"] = "mysql://nope" }, "migrate", "status");
        Assert.Equal(1, code);
        Assert.Contains("SPECTRAL_DATABASE must be", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plain_spectral_starts_on_the_default_sqlite_file_and_generates_an_admin_key()
    {
        var dir = Path.Combine(Path.GetTempPath(), "spectral-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            await using (var server = await ServerProcess.StartServerAsync(null, null, "plain", verb: null, workingDirectory: dir))
            {
                Assert.True(File.Exists(Path.Combine(dir, "data", "spectral.db")));
                var key = (await File.ReadAllTextAsync(Path.Combine(dir, "data", "admin.key"))).Trim();
                Assert.Contains(key, server.Output, StringComparison.Ordinal);
                using var http = new HttpClient { BaseAddress = server.BaseAddress };
                http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
                await http.CreateTaskAsync("t1");
            }
            // Second start: the stored key is reused and not printed again.
            await using var again = await ServerProcess.StartServerAsync(null, null, "plain", verb: "serve", workingDirectory: dir);
            var stored = (await File.ReadAllTextAsync(Path.Combine(dir, "data", "admin.key"))).Trim();
            Assert.DoesNotContain(stored, again.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
