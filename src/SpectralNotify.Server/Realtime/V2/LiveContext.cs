using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using SpectralNotify.Access;
using SpectralNotify.Server.Auth;
using SpectralNotify.Server.Auth.Tokens;
using SpectralNotify.Server.Hosting;
using SpectralNotify.Server.Observability;
using SpectralNotify.Storage;

namespace SpectralNotify.Server.Realtime.V2;

/// <summary>Everything a protocol-v2 connection needs, resolved once.</summary>
public sealed class LiveContext(
    TaskHub hub, IStore store, SpectralOptions options, ApiKeyOptions auth, SpectralMetrics metrics, TimeProvider time,
    IOptions<JsonOptions> json, GracefulShutdown shutdown, SessionTracker sessions, TokenAuthenticator tokens,
    ListHub lists, ILogger<LiveConnection> log)
{
    public TaskHub Hub => hub;
    public IStore Store => store;
    public SpectralOptions Options => options;
    public AnonymousReads AnonymousReads => auth.AnonymousReads;
    public SpectralMetrics Metrics => metrics;
    public TimeProvider Time => time;
    public JsonSerializerOptions Json => json.Value.SerializerOptions;
    public CancellationToken Stopping => shutdown.Stopping;
    public SessionTracker Sessions => sessions;
    public TokenAuthenticator Tokens => tokens;
    public ILogger<LiveConnection> Log => log;
    public ListHub Lists => lists;

    public QueueBounds Bounds => new(options.SubscriberQueueCapacity, options.SubscriberQueueBytes);

    /// <summary>The v2 topic of an entity kind (<c>task</c>, <c>run</c>, …).</summary>
    public EntityTopic Topic(string name) => (EntityTopic)hub.Source("v2:" + name);

    /// <summary>
    /// Whether <paramref name="caller"/> may read <paramref name="resource"/>/<paramref name="id"/>. For a
    /// run read by a token scoped to whole jobs, the run's job is looked up (<paramref name="jobOfRun"/> caches it).
    /// </summary>
    public async Task<bool> MayReadAsync(Caller caller, Resource resource, string id, CancellationToken ct)
    {
        string? jobOfRun = null;
        if (AccessRules.NeedsJobOfRun(caller, resource))
        {
            jobOfRun = (await store.RunGetAsync(id, ct))?.JobId;
        }
        return AccessRules.Decide(caller, resource, Operation.Read, id, auth.AnonymousReads, jobOfRun) == Decision.Allow;
    }
}
