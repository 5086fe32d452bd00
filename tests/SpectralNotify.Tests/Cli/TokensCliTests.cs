using System.Text.Json;
using SpectralNotify.Tests.Infrastructure;
using static SpectralNotify.Tests.Api.ApiAssert;
using static SpectralNotify.Tests.Infrastructure.TokenClients;

namespace SpectralNotify.Tests.Cli;

/// <summary>The real <c>spectral tokens</c> verbs, run as a process against each engine, and their tokens used on a server.</summary>
public sealed class TokensCliTests
{
    /// <summary>Runs the CLI on <paramref name="db"/>, with the test servers' admin key unless <paramref name="adminKey"/> is null.</summary>
    private static Task<(int ExitCode, string Stdout, string Stderr)> Spectral(TestDatabase db, string[] args, string? adminKey = TestHost.AdminKey)
    {
        var env = new Dictionary<string, string> { ["SPECTRAL_DATABASE"] = db.Setting };
        if (adminKey is not null)
        {
            env["SPECTRAL_API_KEY"] = adminKey;
        }
        return ServerProcess.RunSplitAsync(env, args);
    }

    /// <summary>Mints with the CLI; asserts that stdout holds the token alone and stderr says when it expires.</summary>
    private static async Task<string> MintAsync(TestDatabase db, string[] args, string? adminKey = TestHost.AdminKey)
    {
        var (code, stdout, stderr) = await Spectral(db, ["tokens", "mint", .. args], adminKey);
        Assert.True(code == 0, stderr);
        Assert.EndsWith("\n", stdout, StringComparison.Ordinal);
        var token = stdout[..^1];
        Assert.Matches("^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$", token);
        Assert.Matches("^Minted a token for .* expires at \\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z\\.\n$", stderr);
        return token;
    }

    [Fact]
    public async Task On_postgres_a_token_minted_by_the_cli_reads_its_task_on_a_running_server_and_nothing_else()
    {
        var time = new ManualTime(DateTimeOffset.UtcNow);
        await using var db = await TestDatabase.CreateAsync(Engine.Postgres);
        await using var host = await TestHost.StartAsync(Engine.Postgres, db: db, time: time);
        var admin = host.Client();
        await admin.CreateTaskAsync("mine");
        await admin.CreateTaskAsync("other");

        var reader = Bearer(host, await MintAsync(db, ["--scope", "read:tasks:mine"]));
        await (await reader.GetAsync($"{TasksPath}/mine")).ExpectAsync(200);
        await ProblemAsync(await reader.GetAsync($"{TasksPath}/other"), 403);
        await ProblemAsync(await reader.PostJsonAsync($"{TasksPath}/mine/progress", """{"progress":5}"""), 403);

        // A write token for one task, an hour long, minted by a database key; JSON output carries the expiry.
        var (id, _) = await admin.CreateKeyAsync("minter", """["write"]""");
        var (code, json, stderr) = await Spectral(db, ["tokens", "mint", "--scope", "write:tasks:mine", "--ttl", "1h", "--key-id", id, "-o", "json"]);
        Assert.True(code == 0, stderr);
        var minted = JsonDocument.Parse(json).RootElement;
        var expires = DateTimeOffset.Parse(minted.GetProperty("expiresAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(55), TimeSpan.FromHours(1));
        Assert.Equal(["write:tasks:mine"], minted.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        var reporter = Bearer(host, minted.GetProperty("token").GetString()!);
        await (await reporter.PostJsonAsync($"{TasksPath}/mine/progress", """{"progress":5}""")).ExpectAsync(200);

        // Rotating from the CLI keeps every token valid; the next one is signed with the new key.
        var (rotated, said, _) = await Spectral(db, ["tokens", "rotate"]);
        Assert.Equal(0, rotated);
        await using (var store = await db.CreateStoreAsync())
        {
            // The CLI starts with no keys cached, yet retires the one that signed so far.
            var active = Assert.Single(await store.SigningKeyListAsync(includeRetired: false, CancellationToken.None));
            Assert.StartsWith($"rotated: {active.Kid} ", said, StringComparison.Ordinal);
        }
        var after = Bearer(host, await MintAsync(db, ["--scope", "read:tasks:other"]));
        // The server reloads its keys for a kid it does not know, at most once a second.
        time.Advance(TimeSpan.FromSeconds(2));
        await (await after.GetAsync($"{TasksPath}/other")).ExpectAsync(200);
        await (await reader.GetAsync($"{TasksPath}/mine")).ExpectAsync(200);

        await (await admin.DeleteAsync($"/api/v1/keys/{id}")).ExpectAsync(204);
        await ProblemAsync(await reporter.PostJsonAsync($"{TasksPath}/mine/progress", """{"progress":6}"""), 401, "revoked");
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Errors_exit_1_and_usage_errors_exit_2_with_one_line_on_stderr_and_nothing_on_stdout(Engine engine)
    {
        await using var db = await TestDatabase.CreateAsync(engine);
        var (code, _, stderr) = await Spectral(db, ["tokens", "mint", "--scope", "read:tasks:x"]);
        Assert.Equal(1, code);
        Assert.Contains("spectral migrate up", stderr, StringComparison.Ordinal);
        Assert.Equal(0, (await Spectral(db, ["migrate", "up"])).ExitCode);
        var readOnly = await CreateKeyAsync(db, "reader", "read");
        var revoked = await CreateKeyAsync(db, "gone", "write");
        Assert.Equal(0, (await Spectral(db, ["keys", "revoke", revoked])).ExitCode);

        foreach (var (args, exit, says) in new (string[], int, string)[]
        {
            (["tokens", "mint", "--scope", "read:tasks:a", "--scope", "admin"], 2, "'admin' is not a scope"),
            (["tokens", "mint", "--scope", "write:tasks:*"], 2, "write:tasks:*"),
            (["tokens", "mint", "--scope", "read:tasks:a", "--ttl", "25h"], 2, "at most 24 h"),
            (["tokens", "mint", "--scope", "read:tasks:a", "--ttl", "86401"], 2, "at most 24 h"),
            (["tokens", "mint", "--scope", "read:tasks:a", "--ttl", "0"], 2, "--ttl"),
            (["tokens", "mint", "--scope", "read:tasks:a", "--ttl", "soon"], 2, "--ttl"),
            (["tokens", "mint"], 2, "--scope"),
            (["tokens"], 2, "command"),
            (["tokens", "mint", "--scope", "read:tasks:a", "--key-id", readOnly], 1, "read-only"),
            (["tokens", "mint", "--scope", "read:tasks:a", "--key-id", revoked], 1, "revoked"),
            (["tokens", "mint", "--scope", "read:tasks:a", "--key-id", "key_000000000000000000000000"], 1, "no database key"),
            (["tokens", "mint", "--scope", "read:tasks:a", "--key-id", "cfg_0123456789abcdef"], 1, "no configured key"),
        })
        {
            (code, var stdout, stderr) = await Spectral(db, args);
            var shown = string.Join(' ', args);
            Assert.True(code == exit, $"{shown}: exit {code}, stderr: {stderr}");
            Assert.True(stderr.TrimEnd('\n').Split('\n') is [var line] && line.StartsWith("error: ", StringComparison.Ordinal), $"{shown}: {stderr}");
            Assert.Contains(says, stderr, StringComparison.Ordinal);
            Assert.Equal("", stdout);
        }
        // 24 h is the longest lifetime, and a minutes form is accepted.
        await MintAsync(db, ["--scope", "read:tasks:a", "--ttl", "24h"]);
        await MintAsync(db, ["--scope", "read:tasks:a", "--ttl", "15m"]);
    }

    [Fact]
    public async Task On_sqlite_tokens_are_minted_before_the_server_starts_and_the_cli_is_refused_while_it_runs()
    {
        await using var db = await TestDatabase.CreateAsync(Engine.Sqlite);
        Assert.Equal(0, (await Spectral(db, ["migrate", "up"])).ExitCode);
        // Without SPECTRAL_API_KEY the admin key comes from admin.key in the data folder, as for the server.
        var (code, _, stderr) = await Spectral(db, ["tokens", "mint", "--scope", "read:tasks:mine"], adminKey: null);
        Assert.Equal(1, code);
        Assert.Contains("no admin key", stderr, StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(db.Folder!, "admin.key"), TestHost.AdminKey + "\n");
        var token = await MintAsync(db, ["--scope", "read:tasks:mine"], adminKey: null);

        await using var host = await TestHost.StartAsync(Engine.Sqlite, db: db);
        await host.Client().CreateTaskAsync("mine");
        await (await Bearer(host, token).GetAsync($"{TasksPath}/mine")).ExpectAsync(200);
        (code, var stdout, stderr) = await Spectral(db, ["tokens", "mint", "--scope", "read:tasks:mine"]);
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Contains("in use", stderr, StringComparison.Ordinal);
        Assert.Contains("POST /api/v1/tokens", stderr, StringComparison.Ordinal);
        var served = await TokenClients.MintAsync(host.Client(), """["read:tasks:mine"]""");
        await (await Bearer(host, served).GetAsync($"{TasksPath}/mine")).ExpectAsync(200);
    }

    private static async Task<string> CreateKeyAsync(TestDatabase db, string name, string scope)
    {
        var (code, _, stderr) = await Spectral(db, ["keys", "create", "--name", name, "--scope", scope]);
        Assert.True(code == 0, stderr);
        return stderr.Split(' ').Single(w => w.StartsWith("key_", StringComparison.Ordinal));
    }
}
