using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using SpectralNotify.Server.Auth;

namespace SpectralNotify.Server.Api.OpenApi;

/// <summary>
/// Per operation: its summary from <see cref="OpenApiSummaries"/>, its request-body examples from
/// <see cref="OpenApiExamples"/>, and the security requirement its access rule implies (an operation
/// without an <see cref="AccessRequirement"/> is anonymous and says so with an empty list).
/// </summary>
internal sealed class OperationDocsTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var key = RouteKey(context.Description.HttpMethod, context.Description.RelativePath);
        if (OpenApiSummaries.ByRoute.TryGetValue(key, out var summary))
        {
            operation.Summary = summary;
        }
        if (OpenApiExamples.ByRoute.TryGetValue(key, out var examples) && operation.RequestBody?.Content is { } content
            && content.TryGetValue("application/json", out var media))
        {
            media.Examples = examples.ToDictionary(e => e.Name, e => (IOpenApiExample)new OpenApiExample
            {
                Summary = e.Summary,
                Value = OpenApiExamples.Parse(e),
            });
        }
        operation.Security = RequiresCredentials(context.Description.ActionDescriptor.EndpointMetadata)
            ?
            [
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SecuritySchemesTransformer.ApiKey, context.Document)] = [] },
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SecuritySchemesTransformer.Bearer, context.Document)] = [] },
            ]
            : [];
        return Task.CompletedTask;
    }

    /// <summary><c>METHOD /path</c>, the key of the summary and example tables.</summary>
    public static string RouteKey(string? method, string? relativePath) => $"{method?.ToUpperInvariant()} /{relativePath?.TrimEnd('/')}";

    // RequireAccess attaches a policy holding the requirement; a requirement attached directly counts too.
    private static bool RequiresCredentials(IEnumerable<object> metadata) =>
        metadata.Any(m => m is AccessRequirement || m is AuthorizationPolicy p && p.Requirements.OfType<AccessRequirement>().Any());
}
