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

    /// <summary>The job a run belongs to, when <paramref name="resource"/> is runs (a <c>read:jobs:&lt;id&gt;</c> token reads its runs); else null.</summary>
    public async Task<string?> JobOfRunAsync(Resource resource, string id, CancellationToken ct) =>
        resource == Resource.Runs ? (await store.RunGetAsync(id, ct))?.JobId : null;

    /// <summary>Whether <paramref name="caller"/> may read <paramref name="resource"/>/<paramref name="id"/>.</summary>
    public bool MayRead(Caller caller, Resource resource, string id, string? jobOfRun) =>
        AccessRules.Decide(caller, resource, Operation.Read, id, auth.AnonymousReads, jobOfRun) == Decision.Allow;
}
