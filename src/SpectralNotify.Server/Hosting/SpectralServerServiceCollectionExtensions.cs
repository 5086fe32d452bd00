using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SpectralNotify.Server.Api;
using SpectralNotify.Server.Api.Compat;
using SpectralNotify.Server.Api.OpenApi;
using SpectralNotify.Server.Api.V1;
using SpectralNotify.Server.Auth;
using SpectralNotify.Server.Dashboard;
using SpectralNotify.Server.Hosting;
using SpectralNotify.Server.Jobs;
using SpectralNotify.Server.Jobs.Workers;
using SpectralNotify.Server.Maintenance;
using SpectralNotify.Server.Observability;
using SpectralNotify.Server.Realtime;
using SpectralNotify.Server.Realtime.V2;
using SpectralNotify.Storage;

// The usual home of Add* extensions, so one using brings them in.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the whole SpectralNotify server in an ASP.NET Core app (see docs/embedding.md).</summary>
public static class SpectralServerServiceCollectionExtensions
{
    /// <summary>
    /// Registers the server: storage, the API and its JSON and error settings, authentication, live
    /// endpoints, the job scheduler, in-process workers (with the built-in <c>noop</c> handler) and
    /// maintenance. Nothing touches the database here; settings are validated and the schema migrated
    /// by <c>PrepareSpectralNotifyAsync</c>. Calling it again returns a builder over the same registrations.
    /// </summary>
    /// <param name="configuration">The app's configuration (<c>builder.Configuration</c>): the server reads <c>SPECTRAL_DATABASE</c> from it.</param>
    /// <param name="configure">Sets what code decides (the database); configuration supplies the rest.</param>
    /// <returns>A builder to add in-process job handlers with.</returns>
    /// <exception cref="StartupException">The database setting is not valid.</exception>
    public static SpectralServerBuilder AddSpectralNotifyServer(this IServiceCollection services, IConfiguration configuration,
        Action<SpectralServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (services.Any(d => d.ServiceType == typeof(SpectralServerMarker)))
        {
            return new SpectralServerBuilder(services);
        }
        services.AddSingleton<SpectralServerMarker>();
        var options = new SpectralServerOptions();
        configure?.Invoke(options);
        var db = ParseDatabase(options.Database ?? configuration["SPECTRAL_DATABASE"]);

        // Bound here and validated by PrepareSpectralNotifyAsync before anything else.
        services.AddOptions<SpectralOptions>().BindConfiguration("Spectral").ValidateOnStart();
        services.AddSingleton<IValidateOptions<SpectralOptions>, SpectralOptionsValidator>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<SpectralOptions>>().Value);
        services.AddSingleton(db);
        services.AddSingleton<SpectralPreparation>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SpectralNotify.Health.HealthRegistry>();
        services.AddHostedService<HealthLog>();
        services.AddSpectralStorage(db);
        services.AddSingleton<SpectralMetrics>();
        AddLive(services);
        services.AddSingleton<SpectralNotify.Counters.CounterService>();
        services.AddSingleton<SpectralNotify.Workflows.WorkflowService>();
        AddJobs(services);
        services.AddGracefulShutdown();
        services.AddSingleton<ExpirySweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<ExpirySweeper>());
        services.AddSpectralAuth(db.DataDirectory);
        services.AddSpectralCors();
        services.AddSingleton<CompatIdempotency>();
        services.AddSingleton<CompatHandler>();
        AddHttp(services);
        services.AddSpectralOpenApi();
        services.AddSpectralDashboard();
        CredentialRedaction.WrapLoggerProviders(services);
        return new SpectralServerBuilder(services).AddHandler<NoopHandler>("noop");
    }

    private static void AddLive(IServiceCollection services)
    {
        services.AddSingleton<ILiveSource, TaskLiveSource>();
        services.AddSingleton<ILiveSource, CounterLiveSource>();
        services.AddSingleton<ILiveSource, WorkflowLiveSource>();
        // Protocol v2 (/api/v1/live): the same feed in the REST shapes, in topics of their own.
        services.AddSingleton<ILiveSource>(sp => new TaskTopic(sp.GetRequiredService<IStore>(), LiveJson(sp)));
        services.AddSingleton<ILiveSource>(sp => new WorkflowTopic(sp.GetRequiredService<IStore>(), LiveJson(sp)));
        services.AddSingleton<ILiveSource>(sp => new CounterTopic(sp.GetRequiredService<IStore>(), LiveJson(sp)));
        services.AddSingleton<ILiveSource>(sp => new RunTopic(sp.GetRequiredService<IStore>(), LiveJson(sp)));
        services.AddSingleton<ListHub>();
        services.AddSingleton<LiveContext>();
        services.AddSingleton<TaskHub>();
        services.AddSingleton<LiveConnectionGate>();
        services.AddSingleton<LiveServices>();
        services.AddSingleton<SessionTracker>();
        services.AddHostedService(sp => sp.GetRequiredService<SessionTracker>());
    }

    /// <summary>
    /// The scheduler and the in-process worker. <c>Workers:*</c> settings are applied after every
    /// <c>Configure</c> step, so configuration overrides a queue set in code with <c>WithQueue</c>.
    /// </summary>
    private static void AddJobs(IServiceCollection services)
    {
        services.AddSingleton<SpectralNotify.Jobs.IScheduleMath, QuartzScheduleMath>();
        services.AddSingleton<SpectralNotify.Jobs.JobService>();
        services.AddSingleton<JobScheduler>();
        services.AddHostedService(sp => sp.GetRequiredService<JobScheduler>());
        services.AddOptions<WorkerSettings>().BindConfiguration("Workers").ValidateOnStart();
        services.AddSingleton<IValidateOptions<WorkerSettings>, WorkerSettingsValidator>();
        services.AddOptions<WorkerOptions>().PostConfigure<IOptions<WorkerSettings>>((o, settings) => settings.Value.ApplyTo(o));
        // The worker takes the options object itself.
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<WorkerOptions>>().Value);
        services.AddSingleton<InProcessWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<InProcessWorker>());
    }

    /// <summary>Error bodies and JSON settings of the API. They are the app's: an embedding app's minimal APIs get them too.</summary>
    private static void AddHttp(IServiceCollection services)
    {
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
    }

    /// <summary>The API's JSON settings, so live messages are the REST shapes byte for byte.</summary>
    private static System.Text.Json.JsonSerializerOptions LiveJson(IServiceProvider sp) => sp.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;

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

    /// <summary>Marks the services as holding the server, so a second call adds nothing twice.</summary>
    private sealed class SpectralServerMarker;
}
