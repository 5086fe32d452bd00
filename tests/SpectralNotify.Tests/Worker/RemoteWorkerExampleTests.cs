using System.Diagnostics;
using System.Globalization;
using System.Text;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Worker;

/// <summary>
/// <c>examples/RemoteWorker</c> run as its own process (<c>dotnet RemoteWorker.dll</c> from its build
/// output) against the real server: a run of its type completes, SIGTERM stops it cleanly, and a
/// wrong key stops it with a message that says so.
/// </summary>
public sealed class RemoteWorkerExampleTests(ITestOutputHelper output)
{
    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task The_example_worker_completes_a_run_and_stops_cleanly_on_SIGTERM(Engine engine)
    {
        await using var server = await WorkerServer.StartAsync(engine);
        using var example = StartExample(server.BaseAddress, WorkerServer.Key, out var log);
        try
        {
            var id = await server.EnqueueAsync("word-count", """{"text":"one two three\nfour five"}""");
            var run = await server.WaitForStatusAsync(id, "success");
            Assert.Equal(5, run.GetProperty("result").GetProperty("words").GetInt32());
            Assert.Equal(2, run.GetProperty("result").GetProperty("lines").GetInt32());
            Assert.Equal("example-worker", run.GetProperty("workerId").GetString());
            Assert.Contains("counted 5 words on attempt 1", await server.EventMessagesAsync(id));

            using (var term = Process.Start("kill", ["-TERM", example.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }
            using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await example.WaitForExitAsync(exited.Token);
            Assert.Equal(0, example.ExitCode);
        }
        finally
        {
            Stop(example);
            output.WriteLine(Text(log));
        }
    }

    [Fact]
    public async Task The_example_worker_stops_with_a_clear_message_when_its_key_is_refused()
    {
        await using var server = await WorkerServer.StartAsync(Engine.Sqlite);
        using var example = StartExample(server.BaseAddress, "not-the-key-of-this-server-00000", out var log);
        try
        {
            using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await example.WaitForExitAsync(exited.Token);
            Assert.Contains("refused the worker's credentials (401)", Text(log));
            Assert.Equal(1, example.ExitCode);
        }
        finally
        {
            Stop(example);
            output.WriteLine(Text(log));
        }
    }

    private static Process StartExample(Uri server, string key, out StringBuilder log)
    {
        // The tests' own build configuration (…/bin/<Configuration>/<tfm>/) builds the example too.
        var tfmDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var dll = RepoFiles.Find(Path.Combine("examples", "RemoteWorker", "bin", tfmDir.Parent!.Name, tfmDir.Name, "RemoteWorker.dll"));
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        psi.ArgumentList.Add(dll);
        psi.Environment["SPECTRAL_URL"] = server.ToString();
        psi.Environment["SPECTRAL_API_KEY"] = key;
        psi.Environment["WORKER_ID"] = "example-worker";
        psi.Environment["CONCURRENCY"] = "2";
        var captured = new StringBuilder();
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start dotnet");
        process.OutputDataReceived += (_, e) => { lock (captured) { captured.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (captured) { captured.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        log = captured;
        return process;
    }

    private static string Text(StringBuilder log)
    {
        lock (log)
        {
            return log.ToString();
        }
    }

    private static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
    }
}
