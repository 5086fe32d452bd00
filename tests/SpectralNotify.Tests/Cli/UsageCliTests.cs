using System.Text.Json;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Cli;

/// <summary>
/// The real <c>spectral</c> process on usage errors: an unknown verb or option exits 2 with one line
/// on stderr and never starts a server; global options work before or after the verb.
/// </summary>
public sealed class UsageCliTests
{
    // A database that cannot exist, so that a verb which wrongly ignored --database fails instead of passing.
    private static readonly Dictionary<string, string> NoDatabase = new() { ["SPECTRAL_DATABASE"] = "mysql://nowhere" };

    [Theory]
    [InlineData("bogus")]
    [InlineData("serv")]
    [InlineData("--bogus")]
    [InlineData("-o", "json")]
    [InlineData("--server", "http://127.0.0.1:1")]
    [InlineData("migrate", "up", "--nope")]
    [InlineData("migrate", "sideways")]
    [InlineData("keys", "list", "-o", "xml")]
    [InlineData("tokens", "mint", "--scope", "read:tasks:a", "--unknown")]
    public async Task Unknown_verbs_and_options_exit_2_with_one_usage_line(params string[] args)
    {
        // A server would never exit by itself: RunSplitAsync would time out instead of returning.
        var (code, stdout, stderr) = await ServerProcess.RunSplitAsync(NoDatabase, args);

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains("--help')", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("serve", "--help")]
    [InlineData("migrate", "down", "--help")]
    [InlineData("keys", "--help")]
    [InlineData("tokens", "mint", "-h")]
    public async Task Help_is_there_for_each_verb(params string[] args)
    {
        var (code, stdout, _) = await ServerProcess.RunSplitAsync(NoDatabase, args);

        Assert.Equal(0, code);
        Assert.Contains("Usage:", stdout, StringComparison.Ordinal);
        Assert.Contains("--output", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_down_honours_database_and_global_options_go_anywhere()
    {
        await using var db = await TestDatabase.CreateAsync(Engine.Sqlite);

        var (code, stdout, stderr) = await ServerProcess.RunSplitAsync(NoDatabase, "migrate", "up", "--database", db.Setting);
        Assert.True(code == 0, stderr);
        Assert.Contains("applied 0001_tasks", stdout, StringComparison.Ordinal);
        (code, stdout, stderr) = await ServerProcess.RunSplitAsync(NoDatabase, "migrate", "down", "--database", db.Setting);
        Assert.True(code == 0, stderr);
        Assert.StartsWith("reverted ", stdout, StringComparison.Ordinal);
        (code, stdout, stderr) = await ServerProcess.RunSplitAsync(NoDatabase, "--database", db.Setting, "migrate", "status");
        Assert.Equal(2, code);
        (code, stdout, stderr) = await ServerProcess.RunSplitAsync(NoDatabase, "migrate", "--database", db.Setting, "status");
        Assert.True(code == 0, stderr);
        Assert.Equal(1, stdout.Split('\n').Count(l => l.Contains("pending", StringComparison.Ordinal)));

        // -o before the verb, after it, and between the verb's words.
        Assert.Equal(0, (await ServerProcess.RunSplitAsync(NoDatabase, "migrate", "up", "--database", db.Setting)).ExitCode);
        foreach (string[] args in (string[][])[["-o", "json", "keys", "list"], ["keys", "-o", "json", "list"], ["keys", "list", "--output", "json"]])
        {
            (code, stdout, stderr) = await ServerProcess.RunSplitAsync(NoDatabase, [.. args, "--database", db.Setting]);
            Assert.True(code == 0, stderr);
            Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(stdout).RootElement.ValueKind);
        }
    }
}
