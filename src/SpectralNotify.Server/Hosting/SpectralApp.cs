using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SpectralNotify.Migrations;
using SpectralNotify.Server.Api;
using SpectralNotify.Server.Api.Compat;
using SpectralNotify.Server.Api.Idempotency;
using SpectralNotify.Server.Api.OpenApi;
using SpectralNotify.Server.Api.V1;
using SpectralNotify.Server.Auth;
using SpectralNotify.Server.Auth.Tokens;
using SpectralNotify.Server.Dashboard;
using SpectralNotify.Server.Jobs;
using SpectralNotify.Server.Jobs.Workers;
using SpectralNotify.Server.Maintenance;
using SpectralNotify.Server.Observability;
using SpectralNotify.Server.Realtime;
using SpectralNotify.Server.Realtime.V2;

namespace SpectralNotify.Server.Hosting;

/// <summary>Builds the web host. Tests call <see cref="Build"/> directly with their own settings.</summary>
public static class SpectralApp
{
    public const string DefaultUrl = "http://localhost:8094";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? customize = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        // Lowest-priority defaults: per-request framework logs would cost more than the request itself.
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Information",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
            },
        });
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }
        builder.WebHost.ConfigureKestrel((context, k) =>
        {
            k.Limits.MaxRequestBodySize = Limits.MaxBodyBytes;
            k.Limits.MaxConcurrentUpgradedConnections = LiveConnectionGate.KestrelUpgradedLimit(context.Configuration["Spectral:MaxLiveConnections"]);
        });
        customize?.Invoke(builder);

        var db = ParseDatabase(builder.Configuration["SPECTRAL_DATABASE"]);
        var services = builder.Services;
        // Bound and validated when first resolved; PrepareAsync resolves them all before anything else.
        services.AddOptions<SpectralOptions>().BindConfiguration("Spectral").ValidateOnStart();
        services.AddSingleton<IValidateOptions<SpectralOptions>, SpectralOptionsValidator>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<SpectralOptions>>().Value);
        services.AddSingleton(db);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SpectralNotify.Health.HealthRegistry>();
        services.AddHostedService<HealthLog>();
        services.AddSpectralStorage(db);
        services.AddSingleton<SpectralMetrics>();
        services.AddSingleton<ILiveSource, TaskLiveSource>();
        services.AddSingleton<ILiveSource, CounterLiveSource>();
        services.AddSingleton<ILiveSource, WorkflowLiveSource>();
        // Protocol v2 (/api/v1/live): the same feed in the REST shapes, in topics of their own.
        services.AddSingleton<ILiveSource>(sp => new Realtime.V2.TaskTopic(sp.GetRequiredService<SpectralNotify.Storage.IStore>(), LiveJson(sp)));
        services.AddSingleton<ILiveSource>(sp => new Realtime.V2.WorkflowTopic(sp.GetRequiredService<SpectralNotify.Storage.IStore>(), LiveJson(sp)));
        services.AddSingleton<ILiveSource>(sp => new Realtime.V2.CounterTopic(sp.GetRequiredService<SpectralNotify.Storage.IStore>(), LiveJson(sp)));
        services.AddSingleton<ILiveSource>(sp => new Realtime.V2.RunTopic(sp.GetRequiredService<SpectralNotify.Storage.IStore>(), LiveJson(sp)));
        services.AddSingleton<Realtime.V2.ListHub>();
        services.AddSingleton<Realtime.V2.LiveContext>();
        services.AddSingleton<SpectralNotify.Counters.CounterService>();
        services.AddSingleton<SpectralNotify.Workflows.WorkflowService>();
        services.AddSingleton<TaskHub>();
        services.AddSingleton<LiveConnectionGate>();
        services.AddSingleton<LiveServices>();
        services.AddSingleton<SessionTracker>();
        services.AddHostedService(sp => sp.GetRequiredService<SessionTracker>());
        services.AddSingleton<SpectralNotify.Jobs.IScheduleMath, Jobs.QuartzScheduleMath>();
        services.AddSingleton<SpectralNotify.Jobs.JobService>();
        services.AddSingleton<Jobs.JobScheduler>();
        services.AddHostedService(sp => sp.GetRequiredService<Jobs.JobScheduler>());
        AddWorkerSettings(services.AddSpectralNotify());
        services.AddGracefulShutdown();
        services.AddSingleton<ExpirySweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<ExpirySweeper>());
        services.AddSpectralAuth(db.DataDirectory);
        services.AddSpectralCors();
        services.AddSingleton<CompatIdempotency>();
        services.AddSingleton<CompatHandler>();
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            c.ProblemDetails.Detail ??= c.ProblemDetails.Status switch
            {
                401 => c.HttpContext.Items[ApiKeyAuthenticationHandler.RefusalItem] as string
                    ?? "This route needs an API key or a token: send it as X-API-Key or Authorization: Bearer.",
                403 => "The API key or token does not have the scope this route needs (see docs/security.md).",
                404 => "No route matches this path.",
                405 => "This route does not accept this HTTP method.",
                413 => $"The request body exceeds the limit of {Limits.MaxBodyBytes} bytes (1 MiB).",
                _ => null,
            };
        });
        services.AddExceptionHandler<Problems>();
        services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.Converters.Add(new WireTimeConverter());
            o.SerializerOptions.Converters.Add(new CheckedJsonElementConverter());
            // The web defaults accept "42" for a number; a wrong type is a client error here.
            o.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict;
        });
        // Binding failures throw, so Problems can name the JSON path instead of answering an empty 400.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddSpectralOpenApi();
        services.AddSpectralDashboard();

        CredentialRedaction.WrapLoggerProviders(services);
        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages(StatusPages.WriteAsync);
        app.UseCors();
        app.UseRequestCounting();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseUrlTextCheck();
        app.UseMiddleware<IdempotencyMiddleware>();

        app.MapOps();
        app.MapTasksV1();
        app.MapToolsV1();
        app.MapSessionsV1();
        app.MapConfigV1();
        app.MapKeysV1();
        app.MapCountersV1();
        app.MapWorkflowsV1();
        app.MapJobsV1();
        app.MapWorkersV1();
        app.MapTokensV1();
        app.MapLive();
        app.MapLiveV2();
        app.MapDashboard();
        app.MapCompat();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.UseSwaggerUI(o =>
        {
            o.RoutePrefix = "docs";
            o.SwaggerEndpoint("/openapi/v1.json", "SpectralNotify v1");
        });
        return app;
    }

    /// <summary><c>Workers:Queues:&lt;name&gt;=N</c> sets in-process concurrency per queue (default: <c>default=8</c>); <c>Workers:Prefetch=N</c> lets each queue reserve N runs ahead; <c>Workers:Enabled=false</c> claims nothing here.</summary>
    /// <summary>The API's JSON settings, so live messages are the REST shapes byte for byte.</summary>
    private static System.Text.Json.JsonSerializerOptions LiveJson(IServiceProvider sp) => sp.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;

    private static void AddWorkerSettings(SpectralNotifyBuilder workers)
    {
        var services = workers.Services;
        services.AddOptions<WorkerSettings>().BindConfiguration("Workers").ValidateOnStart();
        services.AddSingleton<IValidateOptions<WorkerSettings>, WorkerSettingsValidator>();
        // After the handlers and queues code registered, so configuration overrides a queue set in code.
        services.AddOptions<WorkerOptions>().Configure<IOptions<WorkerSettings>>((o, settings) => settings.Value.ApplyTo(o));
    }

    private static DatabaseSetting ParseDatabase(string? raw)
    {
        try
        {
            return DatabaseSetting.Parse(raw);
        }
        catch (ArgumentException ex)
        {
            throw new StartupException(ex.Message, ex);
        }
    }

    /// <summary>
    /// Gets the server ready to start, in an order that fails before it changes anything: settings,
    /// the listening ports, the data folder and the SQLite process lock (or PostgreSQL reachable),
    /// the API keys; then pending migrations (unless <c>Spectral:AutoMigrate=false</c>) and the
    /// singletons that must exist before the first request.
    /// </summary>
    /// <exception cref="StartupException">A setting or the environment prevents the start.</exception>
    public static async Task PrepareAsync(WebApplication app, CancellationToken ct = default)
    {
        StartupChecks.ValidateOptions(app.Services);
        var options = app.Services.GetRequiredService<SpectralOptions>();
        var db = app.Services.GetRequiredService<DatabaseSetting>();
        StartupChecks.CheckPortsFree(app.Configuration);
        if (db.IsSqlite)
        {
            StartupChecks.EnsureDataDirectory(db);
        }
        else
        {
            var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("SpectralNotify.Startup");
            await PostgresWait.UntilReachableAsync(db, options.DatabaseConnectTimeout, app.Services.GetRequiredService<TimeProvider>(), log, ct);
        }
        // Held until the store, which takes its own share of the lock, exists (TaskHub below makes it).
        using var sqliteLock = db.IsSqlite ? StartupChecks.LockSqlite(db) : null;
        app.Services.GetRequiredService<ApiKeyRing>();
        if (options.AutoMigrate)
        {
            var applied = await app.Services.GetRequiredService<MigrationRunner>().UpAsync(null, ct);
            foreach (var m in applied)
            {
                app.Logger.LogInformation("Applied migration {Version:D4}_{Name}", m.Version, m.Name);
            }
        }
        var store = app.Services.GetRequiredService<SpectralNotify.Storage.IStore>();
        app.Services.GetRequiredService<TaskHub>();
        // With AutoMigrate off and the schema behind, /readyz says so and this waits for the next start.
        if (await app.Services.GetRequiredService<MigrationRunner>().IsCurrentAsync(ct))
        {
            var released = await store.IdempotencyReleaseOrphansAsync(options.NodeId, ct);
            if (released > 0)
            {
                app.Logger.LogWarning("Released {Count} Idempotency-Key claim(s) left in flight by a previous process of this node: retries of those requests run again", released);
            }
        }
    }
}
