using SpectralNotify.Access;
using System.Globalization;
using System.Security.Claims;
using SpectralNotify.Counters;
using SpectralNotify.Server.Api.V1.Contracts;
using SpectralNotify.Server.Auth;
using SpectralNotify.Storage;

namespace SpectralNotify.Server.Api.V1;

/// <summary>
/// <c>/api/v1/counters</c>: named 64-bit integers with a history of every operation. Mutations need
/// <c>write</c>; listing and deleting need <c>admin</c>; reading one counter is a public read.
/// </summary>
public static class CountersApi
{
    public const string Prefix = "/api/v1/counters";
    private const int MaxNameLength = 100;

    public static RouteGroupBuilder MapCountersV1(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Prefix).WithTags("Counters");
        group.MapPost("/", Create).RequireAccess(Resource.Counters, Operation.Write, idRoute: null)
            .Produces<Counter>(201).ProducesValidationProblem().ProducesProblem(409);
        group.MapGet("/", async (IStore store, CancellationToken ct) =>
            TypedResults.Ok(new Page<Counter>(await store.CounterListAsync(ct), null))).RequireAccess(Resource.Counters, Operation.List, idRoute: null);
        group.MapGet("/{name}", async (string name, IStore store, CancellationToken ct) =>
            await store.CounterGetAsync(name, ct) is { } c ? (IResult)TypedResults.Ok(c) : NotFound(name))
            .RequireAccess(Resource.Counters, Operation.Read, "name").Produces<Counter>().ProducesProblem(404);
        group.MapDelete("/{name}", async (string name, CounterService counters, CancellationToken ct) =>
            await counters.DeleteAsync(name, ct) ? TypedResults.NoContent() : NotFound(name))
            .RequireAccess(Resource.Counters, Operation.Delete, "name").Produces(204).ProducesProblem(404);
        group.MapPost("/{name}/increment", (string name, CounterAmountRequest? body, CounterService counters, CancellationToken ct) =>
            Apply(name, Amount(body, out var e), CounterOperation.IncrementBy, e, counters, ct)).WithApplyResponses();
        group.MapPost("/{name}/decrement", (string name, CounterAmountRequest? body, CounterService counters, CancellationToken ct) =>
            Apply(name, Amount(body, out var e), CounterOperation.DecrementBy, e, counters, ct)).WithApplyResponses();
        group.MapPost("/{name}/set", (string name, CounterSetRequest body, CounterService counters, CancellationToken ct) =>
        {
            var errors = new RequestErrors();
            if (body.Value is null)
            {
                errors.Add("value", "is required (a whole number)");
            }
            return Apply(name, body.Value ?? 0, CounterOperation.SetTo, errors, counters, ct);
        }).WithApplyResponses();
        group.MapPost("/{name}/reset", (string name, CounterService counters, CancellationToken ct) =>
            Apply(name, 0, _ => CounterOperation.ResetToZero(), new RequestErrors(), counters, ct)).WithApplyResponses();
        group.MapGet("/{name}/history", History).RequireAccess(Resource.Counters, Operation.Read, "name")
            .Produces<Page<CounterHistoryEntry>>().ProducesProblem(404);
        return group;
    }

    private static RouteHandlerBuilder WithApplyResponses(this RouteHandlerBuilder b) => b
        .RequireAccess(Resource.Counters, Operation.Write, "name").Produces<Counter>().ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409);

    private static async Task<IResult> Create(CreateCounterRequest body, CounterService counters, ClaimsPrincipal user, CancellationToken ct)
    {
        var errors = new RequestErrors();
        Name(errors, body.Name);
        if (errors.Any)
        {
            return TasksApi.Invalid(errors);
        }
        var change = await counters.CreateAsync(body.Name!, body.Value ?? 0, user.Identity?.Name, ct);
        return TypedResults.Created($"{Prefix}/{Uri.EscapeDataString(body.Name!)}", change.Counter);
    }

    private static async Task<IResult> Apply(string name, long amount, Func<long, CounterOperation> op, RequestErrors errors, CounterService counters, CancellationToken ct)
    {
        Name(errors, name);
        if (errors.Any)
        {
            return TasksApi.Invalid(errors);
        }
        return TypedResults.Ok((await counters.ApplyAsync(name, op(amount), ct)).Counter);
    }

    private static async Task<IResult> History(string name, IStore store, CancellationToken ct, long? after = null, int? limit = null)
    {
        var errors = new RequestErrors();
        if (after is < 0)
        {
            errors.Add("after", "must be 0 or more");
        }
        if (limit is < 1 or > Limits.MaxPageSize)
        {
            errors.Add("limit", $"must be 1 to {Limits.MaxPageSize}");
        }
        if (errors.Any)
        {
            return TasksApi.Invalid(errors);
        }
        var take = limit ?? 100;
        var entries = await store.CounterHistoryListAsync(name, after ?? 0, take + 1, ct);
        if (entries.Count == 0 && await store.CounterGetAsync(name, ct) is null)
        {
            return NotFound(name);
        }
        string? next = null;
        if (entries.Count > take)
        {
            entries = entries.Take(take).ToList();
            next = entries[^1].Seq.ToString(CultureInfo.InvariantCulture);
        }
        return TypedResults.Ok(new Page<CounterHistoryEntry>(entries, next));
    }

    private static long Amount(CounterAmountRequest? body, out RequestErrors errors)
    {
        errors = new RequestErrors();
        var amount = body?.Amount ?? 1;
        if (amount < 1)
        {
            errors.Add("amount", "must be a whole number of 1 or more");
        }
        return amount;
    }

    private static void Name(RequestErrors errors, string? name)
    {
        if (name is null || name.Length > MaxNameLength || !CounterRules.IsValidName(name))
        {
            errors.Add("name", $"must be 1 to {MaxNameLength} characters of A-Z, a-z, 0-9, '_', '-'");
        }
    }

    private static IResult NotFound(string name) => TypedResults.Problem(
        title: "Counter not found", detail: $"Counter '{name}' does not exist.", statusCode: 404,
        extensions: new Dictionary<string, object?> { ["name"] = name });
}
