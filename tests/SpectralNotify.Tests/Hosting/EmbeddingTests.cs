using System.Collections.Concurrent;
using System.Text.Json;
using SpectralNotify.Handlers;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Hosting;

/// <summary>The server hosted through AddSpectralNotifyServer / MapSpectralNotify / PrepareSpectralNotifyAsync.</summary>
public sealed class EmbeddingTests
{
    /// <summary>Records which per-attempt scopes were made and disposed.</summary>
    private sealed class ScopeLog
    {
        public ConcurrentDictionary<string, bool> Disposed { get; } = new();
    }

    private sealed class AttemptScope : IAsyncDisposable
    {
        private readonly ScopeLog _log;

        public AttemptScope(ScopeLog log)
        {
            _log = log;
            _log.Disposed[Id] = false;
        }

        public string Id { get; } = Guid.NewGuid().ToString("N");

        public ValueTask DisposeAsync()
        {
            _log.Disposed[Id] = true;
            return ValueTask.CompletedTask;
        }
    }

    private sealed class ScopedHandler(AttemptScope scope) : IJobHandler
    {
        public Task<JsonElement?> HandleAsync(IJobContext context, CancellationToken ct) =>
            Task.FromResult<JsonElement?>(JsonSerializer.SerializeToElement(new { scope = scope.Id }));
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Each_attempt_gets_its_handler_from_a_scope_of_its_own_disposed_when_it_ends(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine,
            services: s => s.AddSingleton<ScopeLog>().AddScoped<AttemptScope>(),
            server: s => s.AddHandler<ScopedHandler>("scoped"));
        var http = host.Client(TestHost.WriteKey);
        await (await http.PostJsonAsync("/api/v1/runs", """{"runs":[{"id":"s1","type":"scoped"},{"id":"s2","type":"scoped"}]}""")).ExpectAsync(201);

        var scopes = new List<string>();
        foreach (var id in new[] { "s1", "s2" })
        {
            await FeedWait.TaskStatusAsync(host.Services, id, SpectralNotify.Tasks.TaskState.Success, TimeSpan.FromSeconds(20));
            var run = await (await http.GetAsync($"/api/v1/runs/{id}")).ExpectAsync(200);
            scopes.Add(run.GetProperty("result").GetProperty("scope").GetString()!);
        }
        Assert.NotEqual(scopes[0], scopes[1]);
        var log = host.Services.GetRequiredService<ScopeLog>();
        Assert.All(scopes, s => Assert.True(log.Disposed[s], $"scope {s} was disposed"));
    }

    [Fact]
    public async Task An_app_that_does_not_prepare_the_server_fails_to_start_saying_what_to_call()
    {
        var folder = Directory.CreateTempSubdirectory("spectral-embed-");
        try
        {
            var builder = WebApplication.CreateBuilder();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["urls"] = "http://127.0.0.1:0",
                ["SPECTRAL_API_KEY"] = TestHost.AdminKey,
                ["Logging:LogLevel:Default"] = "Warning",
            });
            builder.Services.AddSpectralNotifyServer(builder.Configuration, o => o.Database = $"sqlite:{Path.Combine(folder.FullName, "app.db")}");
            await using var app = builder.Build();
            app.MapSpectralNotify();

            var error = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => app.StartAsync());
            Assert.Contains("await app.PrepareSpectralNotifyAsync();", error.Message, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(folder.FullName, "app.db")), "nothing was created before the checks");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
