using System.Diagnostics;
using System.Text.Json;
using SpectralNotify.Client;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Cli;

/// <summary>
/// <c>spectral tasks watch</c> as a real process against a real server on each engine: redirected
/// (plain lines in seq order, jsonl), on a pseudo-terminal (Spectre rendering), and its exit codes.
/// </summary>
public sealed class WatchCliTests
{
    private const string Key = "cli-watch-test-admin-key-0123456789";

    private static Dictionary<string, string> Env(ServerProcess server, string key = Key) => ClientVerbsCliTests.Env(server, key);

    private static SpectralClient Client(ServerProcess server) =>
        SpectralClient.Create(new SpectralClientOptions { BaseAddress = server.BaseAddress, ApiKey = Key });

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Redirected_watch_prints_the_url_then_one_line_per_event_in_seq_order_and_exits_by_outcome(Engine engine)
    {
        await using var db = await TestDatabase.CreateAsync(engine);
        await using var server = await ServerProcess.StartServerAsync(db.Setting, Key, "cli-watch");
        await using var client = Client(server);

        await client.Tasks.CreateAsync(new() { Id = "w-ok", Title = "Encode" });
        // The watch starts before the work is done: the changes after it arrive live.
        var watch = ServerProcess.RunSplitAsync(Env(server), "tasks", "watch", "w-ok", "--exit-status");
        await client.Tasks.ProgressAsync("w-ok", 25, "pass 1");
        await client.Tasks.AddEventAsync("w-ok", new() { Type = "log", Message = "halfway" });
        await client.Tasks.ProgressAsync("w-ok", 75, "pass 2");
        await client.Tasks.CompleteAsync("w-ok");
        var (code, stdout, stderr) = await watch;

        Assert.True(code == 0, stderr);
        Assert.DoesNotContain('\u001b', stdout);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"{server.BaseAddress.AbsoluteUri.TrimEnd('/')}/ui/tasks/w-ok", lines[0]);
        Assert.Equal("task w-ok ended: success", lines[^1]);
        var events = lines[1..^1];
        var seqs = events.Select(l => long.Parse(l[1..l.IndexOf(' ', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Enumerable.Range(1, seqs.Count).Select(i => (long)i), seqs);
        Assert.Contains(events, l => l.EndsWith(" progress 25% pass 1", StringComparison.Ordinal));
        Assert.Contains(events, l => l.EndsWith(" log halfway", StringComparison.Ordinal));
        Assert.Equal(events.Length, events.Distinct().Count());

        // Failed → 1, canceled → 2 (already ended: the history, then the end).
        await client.Tasks.CreateAsync(new() { Id = "w-fail" });
        await client.Tasks.FailAsync("w-fail", "disk full");
        (code, stdout, _) = await ServerProcess.RunSplitAsync(Env(server), "tasks", "watch", "w-fail", "--exit-status");
        Assert.Equal(1, code);
        Assert.EndsWith("task w-fail ended: failed\n", stdout, StringComparison.Ordinal);
        (code, _, _) = await ServerProcess.RunSplitAsync(Env(server), "tasks", "watch", "w-fail");
        Assert.Equal(0, code);
        await client.Tasks.CreateAsync(new() { Id = "w-cancel" });
        await client.Tasks.CancelAsync("w-cancel", "not needed");
        (code, _, _) = await ServerProcess.RunSplitAsync(Env(server), "tasks", "watch", "w-cancel", "--exit-status");
        Assert.Equal(2, code);

        // --timeout on a task that does not end → 3; a wrong key or no server → 4.
        await client.Tasks.CreateAsync(new() { Id = "w-pending" });
        (code, _, stderr) = await ServerProcess.RunSplitAsync(Env(server), "tasks", "watch", "w-pending", "--exit-status", "--timeout", "1");
        Assert.Equal(3, code);
        Assert.Contains("--timeout", stderr, StringComparison.Ordinal);
        (code, _, stderr) = await ServerProcess.RunSplitAsync(Env(server, "wrong-key-wrong-key-wrong-key"), "tasks", "watch", "w-ok", "--exit-status");
        Assert.Equal(4, code);
        Assert.StartsWith("error: 401", stderr, StringComparison.Ordinal);
        (code, _, _) = await ServerProcess.RunSplitAsync(new Dictionary<string, string> { ["SPECTRAL_API_KEY"] = Key },
            "tasks", "watch", "w-ok", "--server", $"http://127.0.0.1:{ServerProcess.FreePort()}");
        Assert.Equal(4, code);
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Jsonl_watch_writes_one_live_change_per_line_with_its_seq(Engine engine)
    {
        await using var db = await TestDatabase.CreateAsync(engine);
        await using var server = await ServerProcess.StartServerAsync(db.Setting, Key, "cli-jsonl");
        await using var client = Client(server);
        await client.Tasks.CreateAsync(new() { Id = "j1" });
        await client.Tasks.ProgressAsync("j1", 50);
        await client.Tasks.CompleteAsync("j1");

        var (code, stdout, stderr) = await ServerProcess.RunSplitAsync(Env(server), "tasks", "watch", "j1", "-o", "jsonl", "--exit-status");

        Assert.True(code == 0, stderr);
        Assert.Contains("/ui/tasks/j1", stderr, StringComparison.Ordinal);
        var changes = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["change", "change", "change", "end"], changes.Select(c => c.GetProperty("kind").GetString()));
        Assert.Equal([1L, 2L, 3L], changes.SkipLast(1).Select(c => c.GetProperty("seq").GetInt64()));
        Assert.Equal(2, changes[1].GetProperty("event").GetProperty("seq").GetInt64());
        Assert.Equal("success", changes[^1].GetProperty("endReason").GetString());
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task On_a_pseudo_terminal_watch_renders_a_live_progress_bar_and_exits_by_outcome(Engine engine)
    {
        Assert.SkipUnless(File.Exists("/usr/bin/script"), "script(1) from util-linux (apt package bsdutils) is needed for a pseudo-terminal");
        await using var db = await TestDatabase.CreateAsync(engine);
        await using var server = await ServerProcess.StartServerAsync(db.Setting, Key, "cli-pty");
        await using var client = Client(server);
        await client.Tasks.CreateAsync(new() { Id = "tty-1", Title = "Render me" });

        var watch = RunOnTerminalAsync(server, "tasks watch tty-1 --exit-status");
        await client.Tasks.ProgressAsync("tty-1", 40, "pass 1");
        await client.Tasks.FailAsync("tty-1", "disk full");
        var (code, output) = await watch;

        Assert.True(code == 1, output);
        Assert.Contains("/ui/tasks/tty-1", output, StringComparison.Ordinal);
        Assert.Contains("\u001b[", output, StringComparison.Ordinal);
        Assert.Contains("━", output, StringComparison.Ordinal);
        Assert.Contains("Render me", output, StringComparison.Ordinal);
        Assert.Contains("progress 40% pass 1", output, StringComparison.Ordinal);
        Assert.Contains("task tty-1 ended: failed", output, StringComparison.Ordinal);
    }

    /// <summary>Runs <c>dotnet spectral.dll &lt;args&gt;</c> under <c>script</c>, so its stdout is a pseudo-terminal; returns the exit code and all it wrote.</summary>
    private static async Task<(int Code, string Output)> RunOnTerminalAsync(ServerProcess server, string args)
    {
        var psi = new ProcessStartInfo("script")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        // -e: exit with the child's code; -f: flush as it goes; the typescript goes to /dev/null, the terminal's output to stdout.
        foreach (var a in (string[])["-qefc", $"dotnet {ServerProcess.SpectralDll} {args}", "/dev/null"])
        {
            psi.ArgumentList.Add(a);
        }
        foreach (var (k, v) in Env(server))
        {
            psi.Environment[k] = v;
        }
        psi.Environment.Remove("NO_COLOR");
        psi.Environment.Remove("CI");
        psi.Environment["TERM"] = "xterm-256color";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await p.WaitForExitAsync(cts.Token);
        return (p.ExitCode, await stdout + await stderr);
    }
}
