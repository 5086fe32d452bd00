using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace SpectralNotify.Server.Api.OpenApi;

/// <summary>
/// Declares the two ways to authenticate: an API key in <c>X-API-Key</c> and a bearer token (an API
/// key or a short-lived token from <c>POST /api/v1/tokens</c>). Which operation takes them is set per
/// operation by <see cref="OperationDocsTransformer"/>, so anonymous routes show no padlock.
/// </summary>
internal sealed class SecuritySchemesTransformer : IOpenApiDocumentTransformer
{
    public const string ApiKey = "ApiKey";
    public const string Bearer = "Bearer";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "SpectralNotify";
        document.Info.Description = "Durable tasks, jobs and workflows with live progress. Authenticate with an API key "
            + "(X-API-Key) or a bearer token; live updates are at /api/v1/live (WebSocket) and /api/v1/live/sse, described in docs/realtime.md.";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[ApiKey] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = "X-API-Key",
            Description = "An API key: from configuration, the generated admin key, or POST /api/v1/keys.",
        };
        document.Components.SecuritySchemes[Bearer] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "A short-lived scoped token from POST /api/v1/tokens (or an API key sent as a bearer token).",
        };
        return Task.CompletedTask;
    }
}
