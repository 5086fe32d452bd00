using System.Net.Http.Headers;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using SpectralNotify.Server.Hosting;

namespace SpectralNotify.Tests.Infrastructure;

/// <summary>
/// A real server on a real loopback socket (Kestrel, random port) over a private database.
/// Keys: <see cref="AdminKey"/> (admin), <see cref="WriteKey"/> (write), <see cref="ReadKey"/> (read).
/// </summary>
public sealed class TestHost : IAsyncDisposable
{
    public const string AdminKey = "test-admin-key-000000000001";
    public const string WriteKey = "test-write-key-000000000001";
    public const string ReadKey = "test-read-key-0000000000001";

    private readonly List<HttpClient> _clients = [];

    private readonly bool _ownsDatabase;

    private TestHost(WebApplication app, TestDatabase db, Uri baseAddress, bool ownsDatabase)
    {
        _ownsDatabase = ownsDatabase;
        App = app;
        Database = db;
        BaseAddress = baseAddress;
    }

    public WebApplication App { get; }
    public TestDatabase Database { get; }
    public Uri BaseAddress { get; }
    public IServiceProvider Services => App.Services;

    /// <param name="settings">Extra configuration, e.g. <c>["Spectral:SubscriberQueueCapacity"] = "8"</c>.</param>
    /// <param name="db">An existing database to share (several hosts on one PostgreSQL); else a new one is made and owned.</param>
    /// <param name="time">A clock the test controls (TTL, retention); the system clock when null.</param>
    /// <param name="services">Extra registrations.</param>
    /// <param name="server">In-process job handlers and queues (<c>s => s.AddHandler&lt;T&gt;("type")</c>).</param>
    public static async Task<TestHost> StartAsync(Engine engine, IDictionary<string, string?>? settings = null, TestDatabase? db = null, TimeProvider? time = null,
        Action<IServiceCollection>? services = null, Action<SpectralServerBuilder>? server = null)
    {
        var owns = db is null;
        db ??= await TestDatabase.CreateAsync(engine);
        var config = new Dictionary<string, string?>
        {
            ["SPECTRAL_DATABASE"] = db.Setting,
            ["SPECTRAL_API_KEY"] = AdminKey,
            ["Auth:Keys:0:Key"] = WriteKey,
            ["Auth:Keys:0:Name"] = "writer",
            ["Auth:Keys:0:Scopes:0"] = "write",
            ["Auth:Keys:1:Key"] = ReadKey,
            ["Auth:Keys:1:Name"] = "reader",
            ["Auth:Keys:1:Scopes:0"] = "read",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
        {
            config[k] = v;
        }
        var app = SpectralApp.Build(["--urls", "http://127.0.0.1:0"], b =>
        {
            b.Configuration.AddInMemoryCollection(config);
            if (time is not null)
            {
                b.Services.AddSingleton(time);
            }
            services?.Invoke(b.Services);
        }, server);
        await SpectralApp.PrepareAsync(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestHost(app, db, new Uri(address), owns);
    }

    /// <summary>An HttpClient sending <paramref name="key"/> as X-API-Key (none when null).</summary>
    public HttpClient Client(string? key = AdminKey)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-API-Key", key);
        }
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        _clients.Add(client);
        return client;
    }

    public Uri WebSocketUri(string pathAndQuery) => new($"ws://{BaseAddress.Authority}{pathAndQuery}");

    /// <summary>A WebSocket to <paramref name="pathAndQuery"/>, sending <paramref name="key"/> as X-API-Key (none when null).</summary>
    public async Task<LiveClient> ConnectAsync(string pathAndQuery, CancellationToken ct = default, string? key = ReadKey)
    {
        var socket = new ClientWebSocket();
        if (key is not null)
        {
            socket.Options.SetRequestHeader("X-API-Key", key);
        }
        await socket.ConnectAsync(WebSocketUri(pathAndQuery), ct);
        return new LiveClient(socket);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var c in _clients)
        {
            c.Dispose();
        }
        await App.StopAsync();
        await App.DisposeAsync();
        if (_ownsDatabase)
        {
            await Database.DisposeAsync();
        }
    }
}
