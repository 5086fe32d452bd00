using Microsoft.AspNetCore.Diagnostics;
using SpectralNotify.Server.Api.Compat;

namespace SpectralNotify.Server.Api;

/// <summary>
/// Bodies for answers that have none: problem details under <c>/api/</c> and for every status but
/// 404; a path nothing serves gets the reference's plain <c>404 Not Found</c>, as its clients expect.
/// </summary>
public static class StatusPages
{
    public static async Task WriteAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        if (http.Response.StatusCode == 404 && !http.Request.Path.StartsWithSegments("/api"))
        {
            await CompatEndpoints.NotFoundAsync(http);
            return;
        }
        var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = { Status = http.Response.StatusCode },
        });
    }
}
