using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SpectralNotify.Tests.Infrastructure;

/// <summary>
/// The real <c>spectral</c> executable in its own OS process (the build copies <c>spectral.dll</c>
/// next to the tests), for multi-node and CLI tests.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>The server's PID (the <c>dotnet</c> host running <c>spectral.dll</c>).</summary>
    public int ProcessId => _process.Id;

    public string Output
    {
        get { lock (_output) { return _output.ToString(); } }
    }

    public static string SpectralDll => Path.Combine(AppContext.BaseDirectory, "spectral.dll");

    /// <summary>Runs <c>spectral &lt;args&gt;</c> to completion; returns exit code and combined output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(IDictionary<string, string> env, params string[] args)
    {
        var (code, stdout, stderr) = await RunSplitAsync(env, args);
        return (code, stdout + stderr);
    }

    /// <summary>Runs <c>spectral &lt;args&gt;</c> to completion; returns exit code, stdout and stderr apart.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunSplitAsync(IDictionary<string, string> env, params string[] args)
    {
        using var p = Start(env, null, args);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await p.WaitForExitAsync(cts.Token);
        return (p.ExitCode, await stdout, await stderr);
    }

    /// <param name="database">SPECTRAL_DATABASE, or null for the default (./data under <paramref name="workingDirectory"/>).</param>
    /// <param name="apiKey">SPECTRAL_API_KEY, or null to let the server generate one.</param>
    /// <param name="verb">"serve", or null to start with no verb at all.</param>
    /// <param name="settings">More environment variables (configuration such as <c>Workers__DrainSeconds</c>).</param>
    /// <param name="port">The port to listen on (a restart on the same address after a kill), or null for a free one.</param>
    public static async Task<ServerProcess> StartServerAsync(string? database, string? apiKey, string nodeId, string? verb = "serve", string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? settings = null, int? port = null)
    {
        port ??= FreePort();
        var url = $"http://127.0.0.1:{port}";
        var env = new Dictionary<string, string>
        {
            ["Spectral__NodeId"] = nodeId,
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string>())
        {
            env[k] = v;
        }
        if (database is not null)
        {
            env["SPECTRAL_DATABASE"] = database;
        }
        if (apiKey is not null)
        {
            env["SPECTRAL_API_KEY"] = apiKey;
        }
        string[] args = verb is null ? ["--urls", url] : [verb, "--urls", url];
        var p = Start(env, workingDirectory, args);
        var server = new ServerProcess(p, new Uri(url));
        p.OutputDataReceived += (_, e) => { lock (server._output) { server._output.AppendLine(e.Data); } };
        p.ErrorDataReceived += (_, e) => { lock (server._output) { server._output.AppendLine(e.Data); } };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (p.HasExited)
            {
                throw new InvalidOperationException($"spectral exited with {p.ExitCode}:\n{server.Output}");
            }
            try
            {
                if ((await http.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK)
                {
                    return server;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or SocketException or IOException)
            {
            }
            if (DateTime.UtcNow > deadline)
            {
                p.Kill(entireProcessTree: true); // not left running (and holding its port and files) after the test
                throw new TimeoutException($"spectral did not become ready:\n{server.Output}");
            }
            await Task.Delay(100);
        }
    }

    /// <summary>Kills the process abruptly, as a crash would.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    /// <summary>Sends SIGTERM, as <c>docker stop</c> or systemd would, through the real <c>kill</c> command.</summary>
    public async Task TerminateAsync()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>Waits for the process to exit by itself; returns its exit code, or null if it is still running after <paramref name="timeout"/>.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        return _process.ExitCode;
    }

    private static Process Start(IDictionary<string, string> env, string? workingDirectory, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        psi.ArgumentList.Add(SpectralDll);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment.Remove("SPECTRAL_API_KEY");
        psi.Environment.Remove("SPECTRAL_NOTIFY_API_KEY");
        psi.Environment.Remove("SPECTRAL_DATABASE");
        foreach (var (k, v) in env)
        {
            psi.Environment[k] = v;
        }
        return Process.Start(psi) ?? throw new InvalidOperationException("could not start dotnet");
    }

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    /// <summary>Waits until a killed (or stopped) server process is gone, so its file locks are released.</summary>
    public Task WaitForExitAsync(CancellationToken ct = default) => _process.WaitForExitAsync(ct);
}
