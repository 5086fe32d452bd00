using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Examples;

/// <summary>
/// An app under <c>examples/</c> as a real process: <c>dotnet exec</c> of the dll in its own output
/// folder (the test project references it so it is built first, in the same configuration), on a
/// free loopback port, in a temporary working directory (its <c>./data</c>), with the test admin key.
/// </summary>
public sealed class ExampleApp : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _workingDirectory;
    private readonly StringBuilder _output = new();
    private readonly List<HttpClient> _clients = [];

    private ExampleApp(Process process, string workingDirectory, Uri baseAddress)
    {
        _process = process;
        _workingDirectory = workingDirectory;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>What the process wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get { lock (_output) { return _output.ToString(); } }
    }

    /// <summary>Path of <c>examples/&lt;folder&gt;/bin/&lt;configuration&gt;/net10.0/&lt;assembly&gt;.dll</c>, the configuration being the tests'.</summary>
    public static string Dll(string folder, string assembly)
    {
        var framework = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
        var configuration = framework.Parent!.Name;
        var root = Path.GetDirectoryName(RepoFiles.Find("SpectralNotify.slnx"))!;
        var dll = Path.Combine(root, "examples", folder, "bin", configuration, framework.Name, assembly + ".dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"{dll} is not built: build the solution (the test project references the example).");
    }

    /// <summary>Starts the example and waits until <c>/readyz</c> answers 200.</summary>
    public static async Task<ExampleApp> StartAsync(string folder, string assembly, IReadOnlyDictionary<string, string> environment)
    {
        var port = ServerProcess.FreePort();
        var url = $"http://127.0.0.1:{port}";
        var workingDirectory = Directory.CreateTempSubdirectory("spectral-example-").FullName;
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var arg in new[] { "exec", Dll(folder, assembly), "--urls", url })
        {
            psi.ArgumentList.Add(arg);
        }
        foreach (var inherited in new[] { "SPECTRAL_API_KEY", "SPECTRAL_NOTIFY_API_KEY", "SPECTRAL_DATABASE", "ASPNETCORE_URLS", "ConnectionStrings__Spectral" })
        {
            psi.Environment.Remove(inherited);
        }
        psi.Environment["SPECTRAL_API_KEY"] = TestHost.AdminKey;
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (k, v) in environment)
        {
            psi.Environment[k] = v;
        }
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start dotnet");
        var app = new ExampleApp(process, workingDirectory, new Uri(url));
        process.OutputDataReceived += (_, e) => app.Append(e.Data);
        process.ErrorDataReceived += (_, e) => app.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await app.WaitUntilReadyAsync();
        return app;
    }

    /// <summary>An HttpClient sending <paramref name="key"/> as X-API-Key (none when null).</summary>
    public HttpClient Client(string? key = TestHost.AdminKey)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-API-Key", key);
        }
        _clients.Add(client);
        return client;
    }

    /// <summary>A WebSocket to <paramref name="path"/> with the admin key.</summary>
    public async Task<LiveClient> ConnectAsync(string path)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("X-API-Key", TestHost.AdminKey);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await socket.ConnectAsync(new Uri($"ws://{BaseAddress.Authority}{path}"), cts.Token);
        return new LiveClient(socket);
    }

    private void Append(string? line)
    {
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private async Task WaitUntilReadyAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        // Generous: a first start JITs the whole server, and a loaded CI machine runs several at once.
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the example exited with {_process.ExitCode}:\n{Output}");
            }
            try
            {
                if ((await http.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the example did not become ready:\n{Output}");
            }
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var c in _clients)
        {
            c.Dispose();
        }
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        Directory.Delete(_workingDirectory, recursive: true);
    }
}
