using System.Text.Json;
using SpectralNotify.Keys;
using SpectralNotify.Tests.Infrastructure;
using static SpectralNotify.Tests.Api.ApiAssert;

namespace SpectralNotify.Tests.Cli;

/// <summary>The real <c>spectral keys</c> verbs, run as a process against each engine, and their keys used on a server.</summary>
public sealed class KeysCliTests
{
    private static Task<(int ExitCode, string Stdout, string Stderr)> Spectral(TestDatabase db, params string[] args) =>
        ServerProcess.RunSplitAsync(new Dictionary<string, string> { ["SPECTRAL_DATABASE"] = db.Setting }, args);

    private static async Task<(string Id, string Secret)> CreateAsync(TestDatabase db, params string[] args)
    {
        var (code, stdout, stderr) = await Spectral(db, ["keys", "create", .. args]);
        Assert.True(code == 0, stderr);
        // Text output: the secret alone on stdout, the id and name on stderr.
        var secret = stdout.TrimEnd('\n');
        Assert.DoesNotContain('\n', secret);
        Assert.StartsWith(ApiKeySecrets.SecretPrefix, secret, StringComparison.Ordinal);
        var id = stderr.Split(' ').Single(w => w.StartsWith("key_", StringComparison.Ordinal));
        return (id, secret);
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Create_list_and_revoke_against_the_database(Engine engine)
    {
        await using var db = await TestDatabase.CreateAsync(engine);
        var (code, _, stderr) = await Spectral(db, "keys", "list");
        Assert.Equal(1, code);
        Assert.Contains("spectral migrate up", stderr, StringComparison.Ordinal);
        Assert.Equal(0, (await Spectral(db, "migrate", "up")).ExitCode);

        var (id, secret) = await CreateAsync(db, "--name", "ci", "--scope", "write", "--scope", "read", "--expires", "30d");
        (code, var json, stderr) = await Spectral(db, "keys", "create", "--name", "nightly", "--scope", "admin", "-o", "json", "--expires", "2099-01-01T00:00:00Z");
        Assert.True(code == 0, stderr);
        var created = JsonDocument.Parse(json).RootElement;
        Assert.Equal(("nightly", "2099-01-01T00:00:00.000Z"), (created.GetProperty("name").GetString(), created.GetProperty("expiresAt").GetString()));
        Assert.StartsWith(ApiKeySecrets.SecretPrefix, created.GetProperty("key").GetString(), StringComparison.Ordinal);

        (code, var list, _) = await Spectral(db, "keys", "list");
        Assert.Equal(0, code);
        Assert.Contains($"{id}\tci\twrite,read\tactive", list, StringComparison.Ordinal);
        Assert.Contains("\tnightly\tadmin\tactive", list, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, list, StringComparison.Ordinal);

        (code, var stdout, stderr) = await Spectral(db, "keys", "revoke", id);
        Assert.True(code == 0, stderr);
        Assert.StartsWith($"revoked {id}", stdout, StringComparison.Ordinal);
        (_, json, _) = await Spectral(db, "keys", "list", "-o", "json");
        var rows = JsonDocument.Parse(json).RootElement.EnumerateArray().ToList();
        Assert.Equal(["ci", "nightly"], rows.Select(r => r.GetProperty("name").GetString()));
        Assert.Matches(WireTime(), rows[0].GetProperty("revokedAt").GetString()!);
        Assert.DoesNotContain(secret, json, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKeySecrets.Hash(secret), json, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Errors_exit_1_and_usage_errors_exit_2_with_one_line_on_stderr(Engine engine)
    {
        await using var db = await TestDatabase.CreateAsync(engine);
        Assert.Equal(0, (await Spectral(db, "migrate", "up")).ExitCode);
        await CreateAsync(db, "--name", "taken", "--scope", "read");

        foreach (var (args, exit, says) in new (string[], int, string)[]
        {
            (["keys", "create", "--name", "taken", "--scope", "read"], 1, "taken"),
            (["keys", "create", "--name", "admin", "--scope", "read"], 1, "admin"),
            (["keys", "revoke", "key_000000000000000000000000"], 1, "does not exist"),
            (["keys", "revoke", "cfg_0123456789abcdef"], 1, "configuration"),
            (["keys", "create", "--scope", "read"], 2, "--name"),
            (["keys", "create", "--name", "x"], 2, "--scope"),
            (["keys", "create", "--name", "x", "--scope", "root"], 2, "root"),
            (["keys", "create", "--name", "x", "--scope", "read", "--expires", "soon"], 2, "--expires"),
            (["keys", "create", "--name", "x", "--scope", "read", "--expires", "2001-01-01T00:00:00Z"], 2, "--expires"),
            (["keys", "create", "--name", " x", "--scope", "read"], 2, "--name"),
            (["keys", "revoke"], 2, "revoke"),
            (["keys"], 2, "command"),
        })
        {
            var (code, stdout, stderr) = await Spectral(db, args);
            var shown = string.Join(' ', args);
            Assert.True(code == exit, $"{shown}: exit {code}, stderr: {stderr}");
            Assert.True(stderr.TrimEnd('\n').Split('\n') is [var line] && line.StartsWith("error: ", StringComparison.Ordinal), $"{shown}: {stderr}");
            Assert.Contains(says, stderr, StringComparison.Ordinal);
            Assert.Equal("", stdout);
        }
        var (_, list, _) = await Spectral(db, "keys", "list");
        Assert.Equal(2, list.TrimEnd('\n').Split('\n').Length);
    }

    [Fact]
    public async Task On_postgres_a_key_created_beside_a_running_server_authenticates_and_its_revocation_holds_at_once()
    {
        await using var db = await TestDatabase.CreateAsync(Engine.Postgres);
        await using var host = await TestHost.StartAsync(Engine.Postgres, db: db);
        var (id, secret) = await CreateAsync(db, "--name", "from-cli", "--scope", "write");

        var user = host.Client(secret);
        Assert.Equal("from-cli", (await user.CreateTaskAsync("made-with-cli-key")).GetProperty("createdBy").GetString());
        await ProblemAsync(await user.GetAsync("/api/v1/keys"), 403, "scope");

        Assert.Equal(0, (await Spectral(db, "keys", "revoke", id)).ExitCode);
        await ProblemAsync(await user.PostJsonAsync(TasksPath, """{"id":"after"}"""), 401, "API key");
    }

    [Fact]
    public async Task On_sqlite_keys_are_made_before_the_server_starts_and_the_cli_is_refused_while_it_runs()
    {
        await using var db = await TestDatabase.CreateAsync(Engine.Sqlite);
        Assert.Equal(0, (await Spectral(db, "migrate", "up")).ExitCode);
        var (id, secret) = await CreateAsync(db, "--name", "from-cli", "--scope", "admin");

        await using var host = await TestHost.StartAsync(Engine.Sqlite, db: db);
        var user = host.Client(secret);
        await user.CreateTaskAsync("made-with-cli-key");
        var (code, _, stderr) = await Spectral(db, "keys", "revoke", id);
        Assert.Equal(1, code);
        Assert.Contains("in use", stderr, StringComparison.Ordinal);
        Assert.Contains("/api/v1/keys", stderr, StringComparison.Ordinal);
        await (await user.GetAsync("/api/v1/keys")).ExpectAsync(200);
    }
}
