using Microsoft.AspNetCore.Authorization;
using SpectralNotify.Access;

namespace SpectralNotify.Server.Auth;

/// <summary>
/// Endpoint metadata naming what a route touches; <see cref="AccessHandler"/> applies the one rule
/// (<see cref="AccessRules"/>). <paramref name="IdRoute"/> is the route value holding the entity's id,
/// for token scopes bound to one entity.
/// </summary>
public sealed record AccessRequirement(Resource Resource, Operation Operation, string? IdRoute = "id")
    : IAuthorizationRequirement, IAuthorizationRequirementData
{
    public IEnumerable<IAuthorizationRequirement> GetRequirements() => [this];
}

public static class AccessEndpoints
{
    /// <summary>Guards the endpoint (or group) with the access rule for <paramref name="resource"/> and <paramref name="operation"/>.</summary>
    public static TBuilder RequireAccess<TBuilder>(this TBuilder builder, Resource resource, Operation operation, string? idRoute = "id")
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(new AuthorizationPolicyBuilder().AddRequirements(new AccessRequirement(resource, operation, idRoute)).Build());
}
