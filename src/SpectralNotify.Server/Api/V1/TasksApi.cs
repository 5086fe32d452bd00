using SpectralNotify.Server.Auth.Tokens;
using SpectralNotify.Access;
using SpectralNotify.Jobs;
using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SpectralNotify.Server.Api.V1.Contracts;
using SpectralNotify.Server.Auth;
using SpectralNotify.Storage;
using SpectralNotify.Tasks;

namespace SpectralNotify.Server.Api.V1;

/// <summary>The v1 task routes. Field names and paths are a public contract.</summary>
public static class TasksApi
{
    public const string Prefix = "/api/v1/tasks";

    public static RouteGroupBuilder MapTasksV1(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Prefix).WithTags("Tasks");

        group.MapPost("/", Create).RequireAccess(Resource.Tasks, Operation.Write, idRoute: null).ProducesProblem(409).WithWriteProblems();
        group.MapGet("/", List).RequireAccess(Resource.Tasks, Operation.List, idRoute: null);
        group.MapPost("/batch", Batch).RequireAccess(Resource.Tasks, Operation.Write, idRoute: null)
            .Produces<BatchResult>().WithMutationProblems();
        group.MapGet("/{id}", Get).RequireAccess(Resource.Tasks, Operation.Read).ProducesProblem(404);
        group.MapPatch("/{id}", Update).RequireAccess(Resource.Tasks, Operation.Write)
            .Produces<TaskDto>().ProducesProblem(412).WithMutationProblems();
        group.MapDelete("/{id}", Delete).RequireAccess(Resource.Tasks, Operation.Delete).ProducesProblem(404);
        group.MapPost("/{id}/events", AddEvent).RequireAccess(Resource.Tasks, Operation.Report)
            .Produces<EventDto>(201).WithMutationProblems();
        group.MapGet("/{id}/events", Events).RequireAccess(Resource.Tasks, Operation.Read).ProducesProblem(404);
        group.MapPost("/{id}/progress", (string id, ProgressRequest body, TaskService svc, HttpContext http, CancellationToken ct) =>
            Mutate(id, TaskRequestMapper.ToMutation(body, Errors(id, out var e)), e, svc, http, ct)).RequireAccess(Resource.Tasks, Operation.Report)
            .Produces<TaskDto>().WithMutationProblems();
        group.MapPost("/{id}/complete", async (string id, CompleteRequest? body, TaskService svc, HttpContext http, CancellationToken ct) =>
            await Mutate(id, TaskRequestMapper.ToMutation(body, Errors(id, out var e)), e, svc, http, ct))
            .RequireAccess(Resource.Tasks, Operation.Write)
            .Produces<TaskDto>().WithMutationProblems();
        group.MapPost("/{id}/fail", async (string id, FailRequest body, TaskService svc, HttpContext http, CancellationToken ct) =>
            await Mutate(id, TaskRequestMapper.ToMutation(body, Errors(id, out var e)), e, svc, http, ct))
            .RequireAccess(Resource.Tasks, Operation.Write)
            .Produces<TaskDto>().WithMutationProblems();
        group.MapPost("/{id}/cancel", async (string id, CancelRequest? body, TaskService svc, JobService jobs, HttpContext http, CancellationToken ct) =>
            await CancelRunAsync(id, jobs, http, ct) ?? await Mutate(id, TaskRequestMapper.ToMutation(body, Errors(id, out var e)), e, svc, http, ct))
            .RequireAccess(Resource.Tasks, Operation.Write)
            .Produces<TaskDto>().WithMutationProblems();
        return group;
    }

    /// <summary>Documents the problems every write can answer: bad input, auth, idempotency conflicts, too large.</summary>
    private static RouteHandlerBuilder WithWriteProblems(this RouteHandlerBuilder b) => b
        .ProducesValidationProblem().ProducesProblem(401).ProducesProblem(403).ProducesProblem(413).ProducesProblem(422);

    /// <summary>Write problems plus the ones of an existing task: unknown (404) and terminal (409).</summary>
    private static RouteHandlerBuilder WithMutationProblems(this RouteHandlerBuilder b) =>
        b.WithWriteProblems().ProducesProblem(404).ProducesProblem(409);

    private static async Task<Results<Created<TaskDto>, ValidationProblem>> Create(
        CreateTaskRequest body, TaskService svc, ClaimsPrincipal user, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        var errors = new RequestErrors();
        var tokenTtl = TokensApi.OnCreate(body.Token, errors, http.Request);
        var input = TaskRequestMapper.ToNewTask(body, user, time.GetUtcNow(), errors);
        if (input is null || errors.Any)
        {
            return Invalid(errors);
        }
        // Minted before the write: if minting fails, nothing was created.
        var token = await TokensApi.ForCreateAsync(tokenTtl, [new Grant(Operation.Read, Resource.Tasks, input.Id)], http, ct);
        var change = await svc.CreateAsync(input, ct);
        http.Response.Headers.ETag = ETags.For(change.Task.Version);
        return TypedResults.Created($"{Prefix}/{Uri.EscapeDataString(change.Task.Id)}", TaskDto.From(change.Task) with { Token = token });
    }

    private static async Task<Results<Ok<Page<TaskDto>>, ValidationProblem>> List(
        IStore store, CancellationToken ct, string? status = null, string? type = null, string? q = null, string? search = null,
        string? metadata = null, string? createdAfter = null, string? createdBefore = null, int? limit = null, string? cursor = null,
        string? order = null)
    {
        var errors = new RequestErrors();
        if (order is not (null or "created" or "updated"))
        {
            errors.Add("order", "must be created (newest createdAt first, the default) or updated (newest updatedAt first, as live lists)");
        }
        var statuses = TaskListQuery.Statuses(status, errors);
        var pairs = TaskListQuery.Metadata(metadata, errors);
        var after = ParseTime("createdAfter", createdAfter, errors);
        var before = ParseTime("createdBefore", createdBefore, errors);
        if (limit is < 1 or > Limits.MaxPageSize)
        {
            errors.Add("limit", $"must be 1 to {Limits.MaxPageSize}");
        }
        TaskCursor? position = null;
        if (cursor is not null && !Cursors.TryDecode(cursor, out position))
        {
            errors.Add("cursor", "is not a cursor this server returned");
        }
        errors.Text("q", q, Limits.MaxTitleLength);
        errors.Text("type", type, Limits.MaxTypeLength);
        TaskListQuery.Search(search, errors);
        if (errors.Any)
        {
            return Invalid(errors);
        }
        var page = await store.TaskListAsync(new TaskListParams
        {
            Statuses = statuses, Type = type, Query = string.IsNullOrEmpty(q) ? null : q, Search = string.IsNullOrEmpty(search) ? null : search,
            Metadata = pairs, CreatedAfter = after, CreatedBefore = before, Limit = limit ?? 50, Cursor = position, ByUpdated = order == "updated",
        }, ct);
        return TypedResults.Ok(new Page<TaskDto>(page.Items.Select(TaskDto.From).ToList(), page.Next is null ? null : Cursors.Encode(page.Next)));
    }

    private static async Task<Results<Ok<TaskDto>, ProblemHttpResult>> Get(
        string id, IStore store, HttpContext http, CancellationToken ct)
    {
        var task = await store.TaskGetAsync(id, ct);
        if (task is null)
        {
            return NotFoundProblem(id);
        }
        http.Response.Headers.ETag = ETags.For(task.Version);
        return TypedResults.Ok(TaskDto.From(task));
    }

    private static async Task<IResult> Update(string id, UpdateTaskRequest body, TaskService svc, HttpContext http, CancellationToken ct)
    {
        var errors = Errors(id, out _);
        if (!ETags.TryParseIfMatch(http.Request, out var version))
        {
            errors.Add("If-Match", "must be a version ETag such as \"3\"");
        }
        var m = TaskRequestMapper.ToMutation(body, version, errors);
        return await Mutate(id, m, errors, svc, http, ct);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(
        string id, TaskService svc, CancellationToken ct) =>
        await svc.DeleteAsync(id, ct) ? TypedResults.NoContent() : NotFoundProblem(id);

    private static async Task<IResult> AddEvent(string id, AddEventRequest body, TaskService svc, HttpContext http, CancellationToken ct)
    {
        var errors = Errors(id, out _);
        var m = TaskRequestMapper.ToMutation(body, errors);
        if (m is null)
        {
            return Invalid(errors);
        }
        var change = await svc.MutateAsync(id, m, ct);
        http.Response.Headers.ETag = ETags.For(change.Task.Version);
        return TypedResults.Created($"{Prefix}/{Uri.EscapeDataString(id)}/events?after={change.Event.Seq - 1}", EventDto.From(change.Event));
    }

    private static async Task<Results<Ok<Page<EventDto>>, ValidationProblem, ProblemHttpResult>> Events(
        string id, IStore store, CancellationToken ct, long? after = null, int? limit = null)
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
            return Invalid(errors);
        }
        var take = limit ?? 100;
        var events = await store.TaskEventListAsync(id, after ?? 0, take + 1, ct);
        if (events.Count == 0 && await store.TaskGetAsync(id, ct) is null)
        {
            return NotFoundProblem(id);
        }
        string? next = null;
        if (events.Count > take)
        {
            events = events.Take(take).ToList();
            next = events[^1].Seq.ToString(CultureInfo.InvariantCulture);
        }
        return TypedResults.Ok(new Page<EventDto>(events.Select(EventDto.From).ToList(), next));
    }

    private static async Task<IResult> Batch(BatchRequest body, TaskService svc, ClaimsPrincipal user, TimeProvider time, CancellationToken ct)
    {
        var errors = new RequestErrors();
        var ops = body.Operations;
        if (ops is null || ops.Count == 0)
        {
            errors.Add("operations", "must hold 1 or more operations");
            return Invalid(errors);
        }
        if (ops.Count > Limits.MaxBatchOperations)
        {
            errors.Add("operations", $"must hold at most {Limits.MaxBatchOperations} operations");
            return Invalid(errors);
        }
        var now = time.GetUtcNow();
        var writes = new List<TaskWrite>(ops.Count);
        for (var i = 0; i < ops.Count; i++)
        {
            var opErrors = new RequestErrors($"operations[{i}].");
            if (ops[i] is null)
            {
                opErrors.Add("", "must be an object");
                errors.Merge(opErrors);
                continue;
            }
            var w = TaskRequestMapper.ToWrite(ops[i], user, now, opErrors);
            errors.Merge(opErrors);
            if (w is not null)
            {
                writes.Add(w);
            }
        }
        if (errors.Any)
        {
            return Invalid(errors);
        }
        var changes = await svc.BatchAsync(writes, ct);
        return TypedResults.Ok(new BatchResult(changes.Select((c, i) =>
            new BatchItemResult(i, ops[i].Op!, TaskDto.From(c.Task), EventDto.From(c.Event))).ToList()));
    }

    private static async Task<IResult> Mutate(string id, TaskMutation? mutation, RequestErrors errors, TaskService svc, HttpContext http, CancellationToken ct)
    {
        if (mutation is null || errors.Any)
        {
            return Invalid(errors);
        }
        var change = await svc.MutateAsync(id, mutation, ct);
        http.Response.Headers.ETag = ETags.For(change.Task.Version);
        return TypedResults.Ok(TaskDto.From(change.Task));
    }

    /// <summary>
    /// Cancelling a job run: a pending one ends at once; a running one is asked to stop (its worker
    /// learns of it through its heartbeat or CancellationToken) and the task says so in an event.
    /// </summary>
    private static async Task<IResult?> CancelRunAsync(string id, JobService jobs, HttpContext http, CancellationToken ct)
    {
        if (await jobs.Store.RunGetAsync(id, ct) is null)
        {
            return null;
        }
        if (await jobs.CancelAsync(id, ct) is not { } change)
        {
            var task = await jobs.Store.TaskGetAsync(id, ct) ?? throw new TaskNotFoundException(id);
            if (task.Status.IsTerminal())
            {
                throw new TaskTerminalException(id, task.Status);
            }
            http.Response.Headers.ETag = ETags.For(task.Version);
            return TypedResults.Accepted((string?)null, TaskDto.From(task)); // already asked to stop
        }
        // The answer follows what this request did: ended it (200), or asked its worker to stop (202).
        http.Response.Headers.ETag = ETags.For(change.Task.Task.Version);
        return change.Run.State == JobRun.Done
            ? TypedResults.Ok(TaskDto.From(change.Task.Task))
            : TypedResults.Accepted((string?)null, TaskDto.From(change.Task.Task));
    }

    private static RequestErrors Errors(string id, out RequestErrors errors)
    {
        errors = new RequestErrors();
        errors.Id("id", id, required: true);
        return errors;
    }

    private static DateTimeOffset? ParseTime(string field, string? raw, RequestErrors errors)
    {
        if (raw is null)
        {
            return null;
        }
        if (DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
        {
            return t;
        }
        errors.Add(field, "must be an ISO-8601 timestamp");
        return null;
    }

    internal static ValidationProblem Invalid(RequestErrors errors) =>
        TypedResults.ValidationProblem(errors.ToDictionary(), detail: errors.Summary, title: "The request is not valid");

    internal static ProblemHttpResult NotFoundProblem(string id) =>
        TypedResults.Problem(
            title: "Task not found",
            detail: $"Task '{id}' does not exist.",
            statusCode: 404,
            type: "https://tools.ietf.org/html/rfc9110#section-15.5.5",
            extensions: new Dictionary<string, object?> { ["taskId"] = id });
}
