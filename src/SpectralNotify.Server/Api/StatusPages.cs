using Microsoft.AspNetCore.Diagnostics;
using SpectralNotify.Server.Api.Compat;

namespace SpectralNotify.Server.Api;

/// <summary>
/// Bodies for answers that have none: problem details under <c>/api/</c> and for most statuses; a path
/// nothing serves (or only serves with another method, e.g. <c>GET /tasks/getById</c>) gets the
/// reference's plain <c>404 Not Found</c>, as its clients expect.
/// </summary>
public static class StatusPages
{
    public static async Task WriteAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        if (http.Response.StatusCode is 404 or 405 && !http.Request.Path.StartsWithSegments("/api"))
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
