using SpectralNotify.Server.Api.V1;

namespace SpectralNotify.Server.Api;

/// <summary>
/// Checks the URL of every /api and /ws request once, before its endpoint runs: each route value
/// (task, workflow, job and run ids, counter names, config keys, phase keys, tool execution ids)
/// must pass <see cref="RequestErrors.Id"/>, and no query value may hold NUL or unreadable text.
/// PostgreSQL's <c>text</c> rejects U+0000 (SQLSTATE 22021), so without this a GET by a <c>%00</c>
/// id was a 500 there and a 404 on SQLite; now both engines answer the same 400 naming the parameter.
/// Runs after authorization, so a caller without access still learns only 401/403.
/// </summary>
public static class UrlTextCheck
{
    public static IApplicationBuilder UseUrlTextCheck(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.Request.Path.StartsWithSegments("/api") || http.Request.Path.StartsWithSegments("/ws"))
        {
            var errors = Check(http);
            if (errors.Any)
            {
                await TasksApi.Invalid(errors).ExecuteAsync(http);
                return;
            }
        }
        await next(http);
    });

    private static RequestErrors Check(HttpContext http)
    {
        var errors = new RequestErrors();
        if (http.GetEndpoint() is RouteEndpoint endpoint)
        {
            foreach (var parameter in endpoint.RoutePattern.Parameters.Where(p => !p.IsCatchAll))
            {
                if (http.Request.RouteValues.TryGetValue(parameter.Name, out var value) && value is string text)
                {
                    errors.Id(parameter.Name, text, required: true);
                }
            }
        }
        foreach (var (name, values) in http.Request.Query)
        {
            if (!Storable(name) || values.Any(v => v is not null && !Storable(v)))
            {
                errors.Add(Storable(name) ? name : "query", "must not contain the NUL character (U+0000) or invalid Unicode");
            }
        }
        return errors;
    }

    private static bool Storable(string text) => !text.Contains('\0', StringComparison.Ordinal) && RequestErrors.WellFormed(text);
}
