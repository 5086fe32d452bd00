using SpectralNotify.Access;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using SpectralNotify.Configuration;
using SpectralNotify.Server.Api.V1.Contracts;
using SpectralNotify.Server.Auth;
using SpectralNotify.Storage;

namespace SpectralNotify.Server.Api.V1;

/// <summary><c>/api/v1/config</c>: typed runtime settings, admin only. Secret values are write-only.</summary>
public static class ConfigApi
{
    public const string Prefix = "/api/v1/config";
    private const int MaxKeyLength = 200;

    public static RouteGroupBuilder MapConfigV1(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Prefix).WithTags("Configuration").RequireAccess(Resource.Configuration, Operation.Write, idRoute: null);
        group.MapGet("/", async (IStore store, CancellationToken ct) =>
            TypedResults.Ok(new Page<ConfigDto>((await store.ConfigListAsync(ct)).Select(ConfigDto.From).ToList(), null)));
        group.MapGet("/{key}", Get).Produces<ConfigDto>().ProducesProblem(404);
        group.MapPut("/{key}", Put).Produces<ConfigDto>().Produces<ConfigDto>(201).ProducesValidationProblem();
        group.MapDelete("/{key}", Delete).Produces(204).ProducesProblem(404);
        return group;
    }

    private static async Task<IResult> Get(string key, IStore store, HttpContext http, CancellationToken ct)
    {
        var entry = await store.ConfigGetAsync(key, ct);
        if (entry is null)
        {
            return NotFound(key);
        }
        http.Response.Headers.ETag = ETags.For(entry.Version);
        return TypedResults.Ok(ConfigDto.From(entry));
    }

    private static async Task<IResult> Put(string key, PutConfigRequest body, IStore store, ClaimsPrincipal user, HttpContext http, CancellationToken ct)
    {
        var errors = new RequestErrors();
        if (key.Length is 0 or > MaxKeyLength || !key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or ':'))
        {
            errors.Add("key", $"must be 1 to {MaxKeyLength} characters of A-Z, a-z, 0-9, '_', '-', '.', ':'");
        }
        errors.Text("description", body.Description, Limits.MaxMessageBytes);
        string? canonical = null;
        if (!ConfigValueType.IsValid(body.Type))
        {
            errors.Add("type", $"must be one of {ConfigValueType.AllowedList}");
        }
        else if (body.Value is not { } value)
        {
            errors.Add("value", "is required");
        }
        else if (Encoding.UTF8.GetByteCount(value.GetRawText()) > Limits.MaxJsonObjectBytes)
        {
            errors.Add("value", $"must be at most {Limits.MaxJsonObjectBytes} bytes (64 KiB) of JSON");
        }
        else
        {
            canonical = ConfigValueType.Canonical(body.Type!, value, out var rule);
            if (rule is not null)
            {
                errors.Add("value", rule);
            }
        }
        if (errors.Any)
        {
            return TasksApi.Invalid(errors);
        }
        var (entry, created) = await store.ConfigPutAsync(new ConfigEntry
        {
            Key = key, Type = body.Type!, Value = canonical!, Description = body.Description,
            IsSecret = body.IsSecret ?? false, UpdatedBy = user.Identity?.Name,
        }, ct);
        http.Response.Headers.ETag = ETags.For(entry.Version);
        return created
            ? TypedResults.Created($"{Prefix}/{Uri.EscapeDataString(key)}", ConfigDto.From(entry))
            : TypedResults.Ok(ConfigDto.From(entry));
    }

    private static async Task<IResult> Delete(string key, IStore store, CancellationToken ct) =>
        await store.ConfigDeleteAsync(key, ct) ? TypedResults.NoContent() : NotFound(key);

    private static IResult NotFound(string key) => TypedResults.Problem(
        title: "Configuration not found", detail: $"No configuration entry '{key}'.", statusCode: 404,
        extensions: new Dictionary<string, object?> { ["key"] = key });
}
