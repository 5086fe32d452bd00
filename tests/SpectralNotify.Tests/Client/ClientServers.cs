using SpectralNotify.Client;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Client;

/// <summary>
/// One real <c>spectral</c> process per engine, started on first use and shared by the client tests
/// (each test uses its own ids, types and queues), so the suite starts two servers instead of one per
/// test.
/// </summary>
public sealed class ClientServers : IAsyncDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly Dictionary<Engine, (TestDatabase Db, ServerProcess Server)> started = [];

    /// <summary>The server of <paramref name="engine"/> (skips a PostgreSQL test without PostgreSQL).</summary>
    public async Task<ServerProcess> ServerAsync(Engine engine)
    {
        await gate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            if (!started.TryGetValue(engine, out var running))
            {
                var db = await TestDatabase.CreateAsync(engine);
                // Remote workers only: the in-process ones would claim the runs these tests enqueue.
                var server = await ServerProcess.StartServerAsync(db.Setting, TestHost.AdminKey, "client-" + engine.ToString().ToLowerInvariant(),
                    settings: new Dictionary<string, string> { ["Workers__Enabled"] = "false" });
                started[engine] = running = (db, server);
            }
            return running.Server;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>A client of the engine's server with the admin key (or <paramref name="configure"/>'s options); dispose it.</summary>
    public async Task<SpectralClient> ClientAsync(Engine engine, Action<SpectralClientOptions>? configure = null)
    {
        var server = await ServerAsync(engine);
        var options = new SpectralClientOptions { BaseAddress = server.BaseAddress, ApiKey = TestHost.AdminKey };
        configure?.Invoke(options);
        return SpectralClient.Create(options);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (db, server) in started.Values)
        {
            await server.DisposeAsync();
            await db.DisposeAsync();
        }
        gate.Dispose();
    }
}

/// <summary>The client test classes share <see cref="ClientServers"/> (and so run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class ClientServersCollection : ICollectionFixture<ClientServers>
{
    public const string Name = "client-servers";
}

/// <summary>A name no other test uses, for ids, types and queues.</summary>
internal static class Unique
{
    public static string Name(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];
}
