using SpectralNotify.Access;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using SpectralNotify.Server.Api.V1.Contracts;
using SpectralNotify.Server.Auth;
using SpectralNotify.Storage;
using SpectralNotify.Tasks;
using SpectralNotify.Tools;

namespace SpectralNotify.Server.Api.V1;

/// <summary>
/// Tool executions of a task: start, then complete, fail or time out. Each start and finish is also
/// an event of the task (kind <c>tool</c>), so live subscribers see an agent's tool calls as they happen.
/// </summary>
public static class ToolsApi
{
    private const int MaxToolNameLength = 200;

    public static RouteGroupBuilder MapToolsV1(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(TasksApi.Prefix + "/{id}/tools").WithTags("Tool executions");
        group.MapGet("/", async (string id, IStore store, CancellationToken ct) =>
        {
            var list = await store.ToolListAsync(id, ct);
            if (list.Count == 0 && await store.TaskGetAsync(id, ct) is null)
            {
                return (IResult)TasksApi.NotFoundProblem(id);
            }
            return TypedResults.Ok(new Page<ToolExecutionDto>(list.Select(ToolExecutionDto.From).ToList(), null));
        }).RequireAccess(Resource.Tasks, Operation.Read).Produces<Page<ToolExecutionDto>>().ProducesProblem(404);
        group.MapPost("/", Start).RequireAccess(Resource.Tasks, Operation.Write)
            .Produces<ToolExecutionDto>(201).ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409);
        group.MapPost("/{execId}/complete", (string id, string execId, CompleteToolRequest? body, TaskService svc, CancellationToken ct) =>
        {
            var errors = new RequestErrors();
            var output = errors.JsonValue("output", body?.Output);
            return Finish(id, execId, new ToolFinish(ToolStatus.Success, output, null), errors, svc, ct);
        }).RequireAccess(Resource.Tasks, Operation.Write).WithFinishResponses();
        group.MapPost("/{execId}/fail", (string id, string execId, FailToolRequest body, TaskService svc, CancellationToken ct) =>
        {
            var errors = new RequestErrors();
            errors.Message("error", body.Error, required: true);
            return Finish(id, execId, new ToolFinish(ToolStatus.Failed, null, body.Error), errors, svc, ct);
        }).RequireAccess(Resource.Tasks, Operation.Write).WithFinishResponses();
        group.MapPost("/{execId}/timeout", (string id, string execId, TaskService svc, CancellationToken ct) =>
            Finish(id, execId, new ToolFinish(ToolStatus.Timeout, null, "timed out"), new RequestErrors(), svc, ct))
            .RequireAccess(Resource.Tasks, Operation.Write).WithFinishResponses();
        return group;
    }

    private static RouteHandlerBuilder WithFinishResponses(this RouteHandlerBuilder b) => b
        .Produces<ToolExecutionDto>().ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409);

    private static async Task<IResult> Start(string id, StartToolRequest body, TaskService svc, ClaimsPrincipal user, CancellationToken ct)
    {
        var errors = new RequestErrors();
        errors.Id("id", id, required: true);
        errors.Text("toolName", body.ToolName, MaxToolNameLength, required: true);
        if (body.ToolName is { Length: 0 })
        {
            errors.Add("toolName", "must not be empty");
        }
        var arguments = errors.JsonValue("arguments", body.Arguments) ?? "{}";
        if (errors.Any)
        {
            return TasksApi.Invalid(errors);
        }
        var started = await svc.ToolStartAsync(new ToolExecution
        {
            Id = Guid.CreateVersion7().ToString(), TaskId = id, ToolName = body.ToolName!, Arguments = arguments,
            CreatedBy = user.Identity?.Name,
        }, ct);
        return TypedResults.Created($"{TasksApi.Prefix}/{Uri.EscapeDataString(id)}/tools/{started.Id}", ToolExecutionDto.From(started));
    }

    private static async Task<IResult> Finish(string id, string execId, ToolFinish finish, RequestErrors errors, TaskService svc, CancellationToken ct)
    {
        errors.Id("id", id, required: true);
        errors.Id("execId", execId, required: true);
        if (errors.Any)
        {
            return TasksApi.Invalid(errors);
        }
        return TypedResults.Ok(ToolExecutionDto.From(await svc.ToolFinishAsync(id, execId, finish, ct)));
    }

    /// <summary>Any JSON value up to 64 KiB, as text; null when absent.</summary>
}
