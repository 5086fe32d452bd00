using Microsoft.AspNetCore.OpenApi;

namespace SpectralNotify.Server.Api.OpenApi;

/// <summary>
/// The OpenAPI document behind <c>/openapi/v1.json</c> and <c>/docs</c>: security schemes so the
/// Authorize button works, a summary and tag on every operation, the credentials each one takes, and
/// request-body examples.
/// </summary>
public static class OpenApiSetup
{
    /// <summary>Registers the v1 document with SpectralNotify's transformers.</summary>
    public static IServiceCollection AddSpectralOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer<SecuritySchemesTransformer>();
            o.AddOperationTransformer<OperationDocsTransformer>();
        });
}
