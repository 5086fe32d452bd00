using SpectralNotify.Access;
using SpectralNotify.Keys;
using SpectralNotify.Server.Api.Idempotency;
using SpectralNotify.Server.Api.V1.Contracts;
using SpectralNotify.Server.Auth;
using SpectralNotify.Storage;

namespace SpectralNotify.Server.Api.V1;

/// <summary>
/// <c>/api/v1/keys</c>: API keys kept in the database, admin only. The list also shows the
/// configured keys (read-only), so it names everything that can authenticate; secrets and hashes are
/// never shown, except a new key's secret in the answer that creates it.
/// </summary>
public static class KeysApi
{
    public const string Prefix = "/api/v1/keys";
    private static readonly long MaxTtlSeconds = (long)ApiKeyIssuer.MaxLifetime.TotalSeconds;

    public static RouteGroupBuilder MapKeysV1(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Prefix).WithTags("API keys").RequireAccess(Resource.Keys, Operation.Write, idRoute: null);
        group.MapPost("/", Create).WithMetadata(SecretAnswer.Marker).Produces<CreatedKeyDto>(201).ProducesValidationProblem().ProducesProblem(409);
        group.MapGet("/", List).Produces<Page<KeyDto>>();
        group.MapDelete("/{id}", Revoke).Produces(204).ProducesProblem(404).ProducesProblem(409);
        return group;
    }

    private static async Task<IResult> Create(CreateKeyRequest body, IStore store, ApiKeyRing ring, TimeProvider time, CancellationToken ct)
    {
        var errors = new RequestErrors();
        var now = time.GetUtcNow();
        var expiresAt = body.ExpiresAt;
        if (body.TtlSeconds is { } ttl)
        {
            if (body.ExpiresAt is not null)
            {
                errors.Add("ttlSeconds", "cannot be combined with expiresAt");
            }
            else if (ttl < 1 || ttl > MaxTtlSeconds)
            {
                errors.Add("ttlSeconds", $"must be 1 to {MaxTtlSeconds}");
            }
            else
            {
                expiresAt = now.AddSeconds(ttl);
            }
        }
        ApiKeyIssuer.Validate(body.Name, body.Scopes, expiresAt, now, errors.Add);
        if (errors.Any)
        {
            return TasksApi.Invalid(errors);
        }
        var (key, secret) = await ApiKeyIssuer.IssueAsync(store, ring.All.Select(e => e.Name), body.Name!, body.Scopes!.OfType<string>().ToList(), expiresAt, ct);
        return TypedResults.Created($"{Prefix}/{Uri.EscapeDataString(key.Id)}", CreatedKeyDto.From(key, secret));
    }

    /// <summary>Configured keys first (by name), then database keys, oldest first; revoked and expired ones included.</summary>
    private static async Task<IResult> List(IStore store, ApiKeyRing ring, CancellationToken ct)
    {
        var configured = ring.All.OrderBy(e => e.Name, StringComparer.Ordinal)
            .Select(e => new KeyDto(e.Id, e.Name, e.Scopes, KeyDto.FromConfig, null, null, null, null));
        var stored = (await store.ApiKeyListAsync(ct)).Select(KeyDto.From);
        return TypedResults.Ok(new Page<KeyDto>(configured.Concat(stored).ToList(), null));
    }

    private static async Task<IResult> Revoke(string id, IStore store, ApiKeyRing ring, CancellationToken ct)
    {
        if (ring.FindById(id) is { Name: { } name })
        {
            throw new ApiKeyConfiguredException(id, name);
        }
        await store.ApiKeyRevokeAsync(id, ct);
        return TypedResults.NoContent();
    }
}
