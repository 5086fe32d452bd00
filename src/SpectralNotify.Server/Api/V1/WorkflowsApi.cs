using SpectralNotify.Server.Auth.Tokens;
using SpectralNotify.Access;
using System.Globalization;
using System.Security.Claims;
using SpectralNotify.Server.Api.V1.Contracts;
using SpectralNotify.Server.Auth;
using SpectralNotify.Storage;
using SpectralNotify.Tasks;
using SpectralNotify.Workflows;

namespace SpectralNotify.Server.Api.V1;

/// <summary>
/// <c>/api/v1/workflows</c>, mirroring the task routes: create, list, get (with phases), phases,
/// phase progress, complete phase, complete / fail / cancel, history, delete. Terminal workflows
/// refuse further changes with 409.
/// </summary>
public static class WorkflowsApi
{
    public const string Prefix = "/api/v1/workflows";

    public static RouteGroupBuilder MapWorkflowsV1(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup(Prefix).WithTags("Workflows");
        g.MapPost("/", Create).RequireAccess(Resource.Workflows, Operation.Write, idRoute: null)
            .Produces<WorkflowDto>(201).ProducesValidationProblem().ProducesProblem(409);
        g.MapGet("/", List).RequireAccess(Resource.Workflows, Operation.List, idRoute: null).Produces<Page<WorkflowDto>>().ProducesValidationProblem();
        g.MapGet("/{id}", async (string id, IStore store, HttpContext http, CancellationToken ct) =>
        {
            if (await store.WorkflowGetAsync(id, ct) is not { } s)
            {
                return NotFound(id);
            }
            http.Response.Headers.ETag = ETags.For(s.Workflow.Version);
            return TypedResults.Ok(WorkflowDto.From(s.Workflow, s.Phases));
        }).RequireAccess(Resource.Workflows, Operation.Read).Produces<WorkflowDto>().ProducesProblem(404);
        g.MapGet("/{id}/phases", async (string id, IStore store, CancellationToken ct) =>
            await store.WorkflowGetAsync(id, ct) is { } s
                ? TypedResults.Ok(new Page<PhaseDto>(s.Phases.Select(PhaseDto.From).ToList(), null))
                : NotFound(id)).RequireAccess(Resource.Workflows, Operation.Read).Produces<Page<PhaseDto>>().ProducesProblem(404);
        g.MapPost("/{id}/phases/{key}/progress", (string id, string key, PhaseProgressRequest body, WorkflowService svc, CancellationToken ct) =>
        {
            var errors = new RequestErrors();
            errors.Progress("progress", body.Progress, required: true);
            var metadata = errors.JsonObject("metadata", body.Metadata);
            return Change(errors, () => svc.UpdatePhaseAsync(new(id, key, body.Progress ?? 0, metadata), ct));
        }).WithChangeResponses();
        g.MapPost("/{id}/phases/{key}/complete", (string id, string key, WorkflowMetadataRequest? body, WorkflowService svc, CancellationToken ct) =>
        {
            var errors = new RequestErrors();
            var metadata = errors.JsonObject("metadata", body?.Metadata);
            return Change(errors, () => svc.UpdatePhaseAsync(new(id, key, 100, metadata), ct));
        }).WithChangeResponses();
        g.MapPost("/{id}/complete", (string id, WorkflowMetadataRequest? body, WorkflowService svc, CancellationToken ct) =>
            Finish(id, TaskState.Success, null, body?.Metadata, svc, ct)).WithChangeResponses();
        g.MapPost("/{id}/cancel", (string id, WorkflowMetadataRequest? body, WorkflowService svc, CancellationToken ct) =>
            Finish(id, TaskState.Canceled, null, body?.Metadata, svc, ct)).WithChangeResponses();
        g.MapPost("/{id}/fail", (string id, WorkflowFailRequest body, WorkflowService svc, CancellationToken ct) =>
        {
            if (body.Error is null)
            {
                var errors = new RequestErrors();
                errors.Add("error", "is required");
                return Task.FromResult(TasksApi.Invalid(errors) as IResult);
            }
            return Finish(id, TaskState.Failed, body.Error, body.Metadata, svc, ct);
        }).WithChangeResponses();
        g.MapGet("/{id}/tasks", async (string id, IStore store, CancellationToken ct) =>
            TypedResults.Ok(new Page<TaskDto>((await store.TaskListByWorkflowAsync(id, Limits.MaxPageSize, ct)).Select(TaskDto.From).ToList(), null)))
            .RequireAccess(Resource.Workflows, Operation.Read);
        g.MapGet("/{id}/events", Events).RequireAccess(Resource.Workflows, Operation.Read)
            .Produces<Page<WorkflowEventDto>>().ProducesValidationProblem().ProducesProblem(404);
        g.MapDelete("/{id}", async (string id, WorkflowService svc, CancellationToken ct) =>
            await svc.DeleteAsync(id, ct) ? TypedResults.NoContent() : NotFound(id))
            .RequireAccess(Resource.Workflows, Operation.Delete).Produces(204).ProducesProblem(404);
        return g;
    }

    private static RouteHandlerBuilder WithChangeResponses(this RouteHandlerBuilder b) => b
        .RequireAccess(Resource.Workflows, Operation.Write).Produces<WorkflowDto>().ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409);

    private static async Task<IResult> Create(CreateWorkflowRequest body, WorkflowService svc, ClaimsPrincipal user, HttpContext http, CancellationToken ct)
    {
        var errors = new RequestErrors();
        // The caps first: everything after them costs in proportion to the number of phases.
        var tooBig = WorkflowLimits.CheckCount(body.Phases?.Count ?? 0)
            ?? WorkflowLimits.Check(body.Phases?.Select(p => new PhaseLink(p?.Key, p?.ParentPhaseKey)).ToList() ?? []);
        if (tooBig is not null)
        {
            errors.Add(WorkflowLimits.Field, tooBig);
            return TasksApi.Invalid(errors);
        }
        errors.Id("id", body.Id, required: false);
        var tokenTtl = TokensApi.OnCreate(body.Token, errors, http.Request);
        var metadata = errors.JsonObject("metadata", body.Metadata);
        var phases = (body.Phases ?? []).Select(p => p is null
            ? new PhaseInput(null, null, null)
            : new PhaseInput(p.Key, p.Label, p.Weight, p.ParentPhaseKey)).ToList();
        for (var i = 0; i < phases.Count; i++)
        {
            errors.Id($"phases[{i}].key", phases[i].Key, required: false);
            errors.Text($"phases[{i}].label", phases[i].Label, Limits.MaxTitleLength);
        }
        foreach (var (field, rule) in PhaseValidation.Validate(phases))
        {
            errors.Add(field, rule);
        }
        if (errors.Any)
        {
            return TasksApi.Invalid(errors);
        }
        var id = body.Id ?? Guid.CreateVersion7().ToString();
        var token = await TokensApi.ForCreateAsync(tokenTtl, [new Grant(Operation.Read, Resource.Workflows, id)], http, ct);
        var change = await svc.CreateAsync(new(id, phases, metadata ?? "{}", user.Identity?.Name), ct);
        return TypedResults.Created($"{Prefix}/{Uri.EscapeDataString(change.Workflow.Id)}", WorkflowDto.From(change.Workflow, change.Phases) with { Token = token });
    }

    private static async Task<IResult> List(IStore store, CancellationToken ct, string? status = null, int? limit = null, string? cursor = null)
    {
        var errors = new RequestErrors();
        TaskState? state = null;
        if (status is not null)
        {
            if (TaskStateNames.TryParse(status, out var s)) { state = s; }
            else { errors.Add("status", $"must be one of {TaskStateNames.AllowedList}"); }
        }
        if (limit is < 1 or > Limits.MaxPageSize)
        {
            errors.Add("limit", $"must be 1 to {Limits.MaxPageSize}");
        }
        TaskCursor? position = null;
        if (cursor is not null && !Cursors.TryDecode(cursor, out position))
        {
            errors.Add("cursor", "is not a cursor this server returned");
        }
        if (errors.Any)
        {
            return TasksApi.Invalid(errors);
        }
        var page = await store.WorkflowListAsync(new WorkflowListParams(state, limit ?? 50, position), ct);
        return TypedResults.Ok(new Page<WorkflowDto>(page.Items.Select(w => WorkflowDto.From(w, null)).ToList(),
            page.Next is null ? null : Cursors.Encode(page.Next)));
    }

    private static async Task<IResult> Events(string id, IStore store, CancellationToken ct, long? after = null, int? limit = null)
    {
        var errors = new RequestErrors();
        if (after is < 0) { errors.Add("after", "must be 0 or more"); }
        if (limit is < 1 or > Limits.MaxPageSize) { errors.Add("limit", $"must be 1 to {Limits.MaxPageSize}"); }
        if (errors.Any)
        {
            return TasksApi.Invalid(errors);
        }
        var take = limit ?? 100;
        var events = await store.WorkflowEventListAsync(id, after ?? 0, take + 1, ct);
        if (events.Count == 0 && await store.WorkflowGetAsync(id, ct) is null)
        {
            return NotFound(id);
        }
        string? next = null;
        if (events.Count > take)
        {
            events = events.Take(take).ToList();
            next = events[^1].Seq.ToString(CultureInfo.InvariantCulture);
        }
        return TypedResults.Ok(new Page<WorkflowEventDto>(events.Select(WorkflowEventDto.From).ToList(), next));
    }

    private static Task<IResult> Finish(string id, TaskState outcome, string? error, System.Text.Json.JsonElement? metadataElement, WorkflowService svc, CancellationToken ct)
    {
        var errors = new RequestErrors();
        errors.Message("error", error, required: false);
        var metadata = errors.JsonObject("metadata", metadataElement);
        return Change(errors, () => svc.FinishAsync(new(id, outcome, error, metadata), ct));
    }

    private static async Task<IResult> Change(RequestErrors errors, Func<Task<WorkflowChange>> run)
    {
        if (errors.Any)
        {
            return TasksApi.Invalid(errors);
        }
        var change = await run();
        return TypedResults.Ok(WorkflowDto.From(change.Workflow, change.Phases));
    }

    private static IResult NotFound(string id) => TypedResults.Problem(
        title: "Workflow not found", detail: $"Workflow '{id}' does not exist.", statusCode: 404,
        extensions: new Dictionary<string, object?> { ["workflowId"] = id });
}
