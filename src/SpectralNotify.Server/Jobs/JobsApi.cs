using SpectralNotify.Access;
using System.Security.Claims;
using SpectralNotify.Jobs;
using SpectralNotify.Server.Api.V1;
using SpectralNotify.Server.Api.V1.Contracts;
using SpectralNotify.Server.Auth;
using SpectralNotify.Storage;

namespace SpectralNotify.Server.Jobs;

/// <summary>
/// <c>/api/v1/jobs</c>: job definitions with schedules, soft delete, optimistic locking (ETag /
/// If-Match), triggers and their runs. Reads need <c>read</c>, changes <c>write</c>.
/// </summary>
public static class JobsApi
{
    public const string Prefix = "/api/v1/jobs";

    public static RouteGroupBuilder MapJobsV1(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup(Prefix).WithTags("Jobs");
        g.MapPost("/", Create).RequireAccess(Resource.Jobs, Operation.Write, idRoute: null).Produces<JobDto>(201).ProducesValidationProblem().ProducesProblem(409);
        g.MapGet("/", List).RequireAccess(Resource.Jobs, Operation.List, idRoute: null).Produces<Page<JobDto>>().ProducesValidationProblem();
        g.MapGet("/{id}", Get).RequireAccess(Resource.Jobs, Operation.Read).Produces<JobDto>().ProducesProblem(404);
        g.MapPatch("/{id}", Patch).RequireAccess(Resource.Jobs, Operation.Write).Produces<JobDto>().ProducesValidationProblem()
            .ProducesProblem(404).ProducesProblem(412).ProducesProblem(428);
        g.MapDelete("/{id}", (string id, JobService jobs, HttpContext http, CancellationToken ct) =>
            Change(id, jobs, http, JobRules.SoftDelete, includeDeleted: false, ct))
            .RequireAccess(Resource.Jobs, Operation.Delete).Produces<JobDto>().ProducesProblem(404).ProducesProblem(412);
        g.MapPost("/{id}/restore", (string id, JobService jobs, HttpContext http, CancellationToken ct) =>
            Change(id, jobs, http, (j, _) => JobRules.Restore(j), includeDeleted: true, ct))
            .RequireAccess(Resource.Jobs, Operation.Delete).Produces<JobDto>().ProducesProblem(404).ProducesProblem(412);
        g.MapPost("/{id}/pause", (string id, JobService jobs, HttpContext http, CancellationToken ct) =>
            Change(id, jobs, http, (j, _) => JobRules.Pause(j), includeDeleted: false, ct))
            .RequireAccess(Resource.Jobs, Operation.Write).Produces<JobDto>().ProducesProblem(404).ProducesProblem(412);
        g.MapPost("/{id}/resume", (string id, JobService jobs, HttpContext http, CancellationToken ct) =>
            Change(id, jobs, http, (j, _) => JobRules.Resume(j), includeDeleted: false, ct))
            .RequireAccess(Resource.Jobs, Operation.Write).Produces<JobDto>().ProducesProblem(404).ProducesProblem(412);
        g.MapPost("/{id}/trigger", Trigger).RequireAccess(Resource.Jobs, Operation.Write).Produces<RunDto>(202).ProducesProblem(404).ProducesProblem(409);
        g.MapGet("/{id}/runs", Runs).RequireAccess(Resource.Jobs, Operation.Read).Produces<Page<RunDto>>().ProducesProblem(404);
        g.MapGet("/{id}/schedule/preview", Preview).RequireAccess(Resource.Jobs, Operation.Read).Produces<SchedulePreview>().ProducesProblem(404);
        return g;
    }

    private static async Task<IResult> Create(CreateJobRequest body, JobService jobs, ClaimsPrincipal user, HttpContext http, CancellationToken ct)
    {
        var errors = new RequestErrors();
        if (body.Id is not null)
        {
            errors.Id("id", body.Id, required: true);
        }
        Type(errors, body.Type, required: true);
        var payload = JobRequests.Payload(errors, "payload", body.Payload);
        var queue = JobRequests.Queue(errors, body.Queue);
        JobRequests.Range(errors, "priority", body.Priority, 0, JobRequests.MaxPriority);
        JobRequests.Range(errors, "maxRetries", body.MaxRetries, 0, JobRequests.MaxRetriesLimit);
        JobRequests.Range(errors, "timeoutSeconds", body.TimeoutSeconds, 1, JobRequests.MaxTimeoutSeconds);
        var schedule = JobRequests.Schedule(errors, body.Schedule);
        Misfire(errors, body.Misfire);
        errors.Text("uniqueKey", body.UniqueKey, Limits.MaxIdLength);
        if (body.State is not null and not (Job.Active or Job.Paused))
        {
            errors.Add("state", "must be active or paused");
        }
        if (body.RunNow == true && body.Schedule.ValueKind is not (System.Text.Json.JsonValueKind.Undefined or System.Text.Json.JsonValueKind.Null))
        {
            errors.Add("runNow", "applies only to a job without a schedule (use /trigger to run a scheduled job now)");
        }
        if (errors.Any)
        {
            return TasksApi.Invalid(errors);
        }
        var job = new Job
        {
            Id = body.Id ?? "job-" + Guid.CreateVersion7().ToString("N"), Type = body.Type!, Payload = payload, Queue = queue,
            Priority = body.Priority ?? 50, MaxRetries = body.MaxRetries ?? 3, TimeoutSeconds = body.TimeoutSeconds, Schedule = schedule,
            Misfire = body.Misfire ?? MisfirePolicy.FireOnce, UniqueKey = body.UniqueKey, State = body.State ?? Job.Active,
            CreatedBy = user.Identity?.Name,
        };
        var (created, run) = await jobs.CreateAsync(job, body.RunNow == true, ct);
        http.Response.Headers.ETag = ETags.For(created.Version);
        return TypedResults.Created($"{Prefix}/{Uri.EscapeDataString(created.Id)}", JobDto.From(created, run is null ? null : RunDto.From(run)));
    }

    private static async Task<IResult> List(IStore store, CancellationToken ct, string? type = null, string? queue = null, string? state = null,
        bool? includeDeleted = null, int? limit = null, string? cursor = null)
    {
        var errors = new RequestErrors();
        JobRequests.Range(errors, "limit", limit, 1, Limits.MaxPageSize);
        if (state is not null and not (Job.Active or Job.Paused))
        {
            errors.Add("state", "must be active or paused");
        }
        TaskCursor? position = null;
        if (cursor is not null && !Cursors.TryDecode(cursor, out position))
        {
            errors.Add("cursor", "is not a cursor this API returned");
        }
        if (errors.Any)
        {
            return TasksApi.Invalid(errors);
        }
        var page = await store.JobListAsync(new JobListParams(type, queue, state, includeDeleted == true, limit ?? 50, position), ct);
        return TypedResults.Ok(new Page<JobDto>([.. page.Items.Select(j => JobDto.From(j))], page.Next is { } n ? Cursors.Encode(n) : null));
    }

    private static async Task<IResult> Get(string id, IStore store, HttpContext http, CancellationToken ct)
    {
        var job = await store.JobGetAsync(id, ct) ?? throw new JobNotFoundException(id);
        http.Response.Headers.ETag = ETags.For(job.Version);
        return TypedResults.Ok(JobDto.From(job));
    }

    private static async Task<IResult> Patch(string id, PatchJobRequest body, JobService jobs, HttpContext http, CancellationToken ct)
    {
        if (!ETags.TryParseIfMatch(http.Request, out var expected) || expected is null)
        {
            return TypedResults.Problem(statusCode: 428, title: "If-Match required",
                detail: "PATCH needs If-Match with the job's ETag (its version), so a concurrent change is never overwritten.");
        }
        var current = await Live(jobs.Store, id, includeDeleted: false, ct);
        var errors = new RequestErrors();
        if (body.Type is not null)
        {
            Type(errors, body.Type, required: true);
        }
        var payload = body.Payload is null ? current.Payload : JobRequests.Payload(errors, "payload", body.Payload);
        var queue = body.Queue is null ? current.Queue : JobRequests.Queue(errors, body.Queue);
        JobRequests.Range(errors, "priority", body.Priority, 0, JobRequests.MaxPriority);
        JobRequests.Range(errors, "maxRetries", body.MaxRetries, 0, JobRequests.MaxRetriesLimit);
        var timeout = Nullable(errors, "timeoutSeconds", body.TimeoutSeconds, current.TimeoutSeconds);
        JobRequests.Range(errors, "timeoutSeconds", timeout, 1, JobRequests.MaxTimeoutSeconds);
        var schedule = body.Schedule.ValueKind == System.Text.Json.JsonValueKind.Undefined ? current.Schedule : JobRequests.Schedule(errors, body.Schedule);
        Misfire(errors, body.Misfire);
        var uniqueKey = body.UniqueKey.ValueKind switch
        {
            System.Text.Json.JsonValueKind.Undefined => current.UniqueKey,
            System.Text.Json.JsonValueKind.String => body.UniqueKey.GetString(),
            System.Text.Json.JsonValueKind.Null => null,
            _ => Invalid(errors, "uniqueKey", "must be a string or null"),
        };
        errors.Text("uniqueKey", uniqueKey, Limits.MaxIdLength);
        if (errors.Any)
        {
            return TasksApi.Invalid(errors);
        }
        var updated = await jobs.UpdateAsync(current, current with
        {
            Type = body.Type ?? current.Type, Payload = payload, Queue = queue, Priority = body.Priority ?? current.Priority,
            MaxRetries = body.MaxRetries ?? current.MaxRetries, TimeoutSeconds = timeout, Schedule = schedule,
            Misfire = body.Misfire ?? current.Misfire, UniqueKey = uniqueKey,
        }, expected.Value, ct);
        http.Response.Headers.ETag = ETags.For(updated.Version);
        return TypedResults.Ok(JobDto.From(updated));
    }

    /// <summary>Delete, restore, pause, resume: If-Match is honoured when sent.</summary>
    private static async Task<IResult> Change(string id, JobService jobs, HttpContext http, Func<Job, DateTimeOffset, Job> change, bool includeDeleted, CancellationToken ct)
    {
        if (!ETags.TryParseIfMatch(http.Request, out var expected))
        {
            return TypedResults.Problem(statusCode: 400, title: "Invalid If-Match", detail: "If-Match must be the job's ETag, e.g. \"3\".");
        }
        var current = await Live(jobs.Store, id, includeDeleted, ct);
        var updated = await jobs.UpdateAsync(current, change(current, jobs.Now), expected ?? current.Version, ct);
        http.Response.Headers.ETag = ETags.For(updated.Version);
        return TypedResults.Ok(JobDto.From(updated));
    }

    private static async Task<IResult> Trigger(string id, JobService jobs, CancellationToken ct)
    {
        var job = await Live(jobs.Store, id, includeDeleted: false, ct);
        var run = await jobs.TriggerAsync(job, ct);
        return TypedResults.Accepted($"/api/v1/runs/{run.Run.TaskId}", RunDto.From(run));
    }

    private static async Task<IResult> Runs(string id, IStore store, CancellationToken ct, int? limit = null)
    {
        var errors = new RequestErrors();
        JobRequests.Range(errors, "limit", limit, 1, Limits.MaxPageSize);
        if (errors.Any)
        {
            return TasksApi.Invalid(errors);
        }
        await Live(store, id, includeDeleted: true, ct);
        var runs = await store.RunListByJobAsync(id, limit ?? 50, ct);
        return TypedResults.Ok(new Page<RunDto>([.. runs.Select(r => RunDto.From(r.Run, r.Status))], null));
    }

    private static async Task<IResult> Preview(string id, JobService jobs, TimeProvider time, CancellationToken ct, int? count = null)
    {
        var errors = new RequestErrors();
        JobRequests.Range(errors, "count", count, 1, 100);
        if (errors.Any)
        {
            return TasksApi.Invalid(errors);
        }
        var job = await Live(jobs.Store, id, includeDeleted: true, ct);
        var zone = QuartzScheduleMath.ZoneOf(job.Schedule);
        var times = new List<string>();
        var after = time.GetUtcNow();
        DateTimeOffset? anchor = job.NextFireAt;
        while (job.Schedule is not null && times.Count < (count ?? 10) && jobs.Math.NextAfter(job.Schedule, after, anchor) is { } next)
        {
            times.Add(TimeZoneInfo.ConvertTime(next, zone).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", System.Globalization.CultureInfo.InvariantCulture));
            after = next;
            anchor = next;
        }
        return TypedResults.Ok(new SchedulePreview(job.Schedule?.TimeZone ?? (job.Schedule?.Cron is null ? null : "UTC"), times));
    }

    private static async Task<Job> Live(IStore store, string id, bool includeDeleted, CancellationToken ct) =>
        await store.JobGetAsync(id, ct) is { } job && (includeDeleted || job.DeletedAt is null) ? job : throw new JobNotFoundException(id);

    private static void Type(RequestErrors errors, string? type, bool required)
    {
        errors.Text("type", type, Limits.MaxTypeLength, required);
        if (type is { Length: 0 })
        {
            errors.Add("type", "must not be empty");
        }
    }

    private static void Misfire(RequestErrors errors, string? misfire)
    {
        if (misfire is not null && !MisfirePolicy.IsValid(misfire))
        {
            errors.Add("misfire", "must be fireOnce or skip");
        }
    }

    private static int? Nullable(RequestErrors errors, string field, System.Text.Json.JsonElement value, int? current) => value.ValueKind switch
    {
        System.Text.Json.JsonValueKind.Undefined => current,
        System.Text.Json.JsonValueKind.Null => null,
        System.Text.Json.JsonValueKind.Number when value.TryGetInt32(out var n) => n,
        _ => Invalid<int?>(errors, field, "must be a whole number or null"),
    };

    private static string? Invalid(RequestErrors errors, string field, string rule) => Invalid<string?>(errors, field, rule);

    private static T Invalid<T>(RequestErrors errors, string field, string rule)
    {
        errors.Add(field, rule);
        return default!;
    }
}
