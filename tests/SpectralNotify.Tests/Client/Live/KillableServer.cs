using SpectralNotify.Client;
using SpectralNotify.Client.Live;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Client.Live;

/// <summary>A real <c>spectral</c> process on its own database that a test can SIGKILL and start again on the same address.</summary>
public sealed class KillableServer : IAsyncDisposable
{
    private readonly TestDatabase _db;
    private readonly string _nodeId;
    private ServerProcess _server;

    private KillableServer(TestDatabase db, ServerProcess server, string nodeId)
    {
        _db = db;
        _server = server;
        _nodeId = nodeId;
        BaseAddress = server.BaseAddress;
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        Http.DefaultRequestHeaders.Add("X-API-Key", TestHost.AdminKey);
    }

    public Uri BaseAddress { get; }

    /// <summary>An admin REST client; it works again once the server is back.</summary>
    public HttpClient Http { get; }

    public static async Task<KillableServer> StartAsync(Engine engine, string nodeId)
    {
        var db = await TestDatabase.CreateAsync(engine);
        try
        {
            return new KillableServer(db, await ServerProcess.StartServerAsync(db.Setting, TestHost.AdminKey, nodeId), nodeId);
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }
    }

    /// <summary>A client of this server with the admin key and <paramref name="retry"/>.</summary>
    public SpectralClient Client(ILiveRetryPolicy retry, Func<CancellationToken, ValueTask<string?>>? tokens = null) => SpectralClient.Create(new SpectralClientOptions
    {
        BaseAddress = BaseAddress,
        ApiKey = tokens is null ? TestHost.AdminKey : null,
        AccessTokenProvider = tokens,
        Live = new SpectralLiveOptions { RetryPolicy = retry },
    });

    /// <summary>SIGKILL, as a crash: no close frame, no flush.</summary>
    public async Task KillAsync()
    {
        _server.Kill();
        await _server.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await _server.DisposeAsync();
    }

    /// <summary>Starts the server again on the same port and database.</summary>
    public async Task RestartAsync() =>
        _server = await ServerProcess.StartServerAsync(_db.Setting, TestHost.AdminKey, _nodeId, port: BaseAddress.Port);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _server.DisposeAsync();
        await _db.DisposeAsync();
    }
}
