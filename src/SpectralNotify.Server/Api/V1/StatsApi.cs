using System.Globalization;
using SpectralNotify.Access;
using SpectralNotify.Server.Auth;
using SpectralNotify.Stats;
using SpectralNotify.Storage;

namespace SpectralNotify.Server.Api.V1;

/// <summary><c>GET /api/v1/stats?window=</c>: the Overview's summary (<see cref="ServerStats"/>). Any key that may list tasks.</summary>
public static class StatsApi
{
    public static RouteGroupBuilder MapStatsV1(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/stats").WithTags("Stats");
        group.MapGet("/", async (IStore store, TimeProvider time, CancellationToken ct, string? window = null) =>
        {
            var now = time.GetUtcNow();
            var minutes = StatsWindow.DefaultMinutes;
            string? error = null;
            if (window is not null && !int.TryParse(window, NumberStyles.None, CultureInfo.InvariantCulture, out minutes))
            {
                minutes = 0;
            }
            var w = StatsWindow.Create(minutes, now, out error);
            if (w is null)
            {
                var errors = new RequestErrors();
                errors.Add("window", error!);
                return (IResult)TasksApi.Invalid(errors);
            }
            return TypedResults.Ok(ServerStats.From(await store.StatsReadAsync(w, now, ct), w, now));
        }).RequireAccess(Resource.Tasks, Operation.List, idRoute: null).Produces<ServerStats>().ProducesValidationProblem();
        return group;
    }
}
