using Microsoft.AspNetCore.Authorization;
using SpectralNotify.Access;

namespace SpectralNotify.Server.Auth;

/// <summary>Applies the access rule (<see cref="HttpAccess"/>) to a route carrying an <see cref="AccessRequirement"/>.</summary>
public sealed class AccessHandler(HttpAccess access) : AuthorizationHandler<AccessRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, AccessRequirement requirement)
    {
        if (context.Resource is not HttpContext http)
        {
            return;
        }
        var id = requirement.IdRoute is null ? null : http.GetRouteValue(requirement.IdRoute) as string;
        // ?auth=message: the WebSocket endpoint itself checks the token in the first message.
        if (await access.DecideAsync(http, requirement.Resource, requirement.Operation, id) == Decision.Allow
            || (requirement.Operation == Operation.Read && Realtime.FirstMessageAuth.Requested(http)))
        {
            context.Succeed(requirement);
        }
    }
}
