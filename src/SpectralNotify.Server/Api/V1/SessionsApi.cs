using SpectralNotify.Access;
using SpectralNotify.Server.Api.V1.Contracts;
using SpectralNotify.Server.Auth;
using SpectralNotify.Sessions;
using SpectralNotify.Storage;

namespace SpectralNotify.Server.Api.V1;

/// <summary><c>GET /api/v1/sessions?active=true</c>: who is watching what, on which node. Admin only.</summary>
public static class SessionsApi
{
    public static RouteGroupBuilder MapSessionsV1(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/sessions").WithTags("Sessions").RequireAccess(Resource.Sessions, Operation.Read, idRoute: null);
        group.MapGet("/", async (IStore store, CancellationToken ct, bool? active = null, int? limit = null) =>
        {
            if (limit is < 1 or > Limits.MaxPageSize)
            {
                var errors = new RequestErrors();
                errors.Add("limit", $"must be 1 to {Limits.MaxPageSize}");
                return (IResult)TasksApi.Invalid(errors);
            }
            var sessions = await store.SessionListAsync(active, limit ?? 100, ct);
            return TypedResults.Ok(new Page<LiveSession>(sessions, null));
        });
        return group;
    }
}
