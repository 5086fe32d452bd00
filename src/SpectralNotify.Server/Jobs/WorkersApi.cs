using SpectralNotify.Server.Auth.Tokens;
using SpectralNotify.Access;
using System.Security.Claims;
using SpectralNotify.Jobs;
using SpectralNotify.Server.Api;
using SpectralNotify.Server.Api.V1;
using SpectralNotify.Server.Api.V1.Contracts;
using SpectralNotify.Server.Auth;
using SpectralNotify.Server.Hosting;
using SpectralNotify.Server.Observability;
using SpectralNotify.Storage;

namespace SpectralNotify.Server.Jobs;

/// <summary>
/// The HTTP worker protocol, for workers in any language: claim runs (long-poll), heartbeat to keep
/// the lease and learn of cancels, complete or fail. Also one-off runs without a job definition. A
/// worker reports progress and events on its run's task (<c>/api/v1/tasks/{runId}/…</c>).
/// </summary>
public static class WorkersApi
{
    public const int MaxClaim = 100;
    public const int MaxWaitSeconds = 30;

    public static IEndpointRouteBuilder MapWorkersV1(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/workers/claim", Claim).RequireAccess(Resource.Runs, Operation.Write).WithTags("Workers")
            .Produces<ClaimRunsResponse>().ProducesValidationProblem();
        // Runs as a resource (enqueue, read, list, retry) and the worker protocol on them share a prefix
        // but not a tag: /docs groups them by who calls them.
        var runs = app.MapGroup("/api/v1/runs");
        runs.MapPost("/", Enqueue).RequireAccess(Resource.Runs, Operation.Write).WithTags("Runs").Produces<ClaimRunsResponse>(201).ProducesValidationProblem().ProducesProblem(409);
        runs.MapGet("/{id}", async (string id, IStore store, CancellationToken ct) =>
        {
            var (run, task) = await ReadRunAndTaskAsync(store, id, ct);
            return TypedResults.Ok(RunDto.From(run, task));
        }).RequireAccess(Resource.Runs, Operation.Read).WithTags("Runs").Produces<RunDto>().ProducesProblem(404);
        runs.MapGet("/", RunListApi.ListAsync).RequireAccess(Resource.Runs, Operation.List, idRoute: null).WithTags("Runs")
            .Produces<Page<RunDto>>().ProducesValidationProblem();
        runs.MapPost("/{id}/heartbeat", Heartbeat).RequireAccess(Resource.Runs, Operation.Write).WithTags("Workers").Produces<HeartbeatResponse>().ProducesProblem(404).ProducesProblem(409);
        runs.MapPost("/{id}/complete", Complete).RequireAccess(Resource.Runs, Operation.Write).WithTags("Workers").Produces<RunDto>().ProducesProblem(404).ProducesProblem(409);
        runs.MapPost("/{id}/retry", Retry).RequireAccess(Resource.Runs, Operation.Write).WithTags("Runs").Produces<RunDto>(201).ProducesProblem(404).ProducesProblem(409);
        runs.MapPost("/{id}/fail", Fail).RequireAccess(Resource.Runs, Operation.Write).WithTags("Workers").Produces<RunDto>().ProducesProblem(404).ProducesProblem(409);
        return app;
    }

    /// <summary>
    /// Leases up to <c>max</c> runs; with <c>waitSeconds</c>, waits for work when there is none, woken
    /// as soon as a run is enqueued on this node and polling as a backstop for other nodes. A server
    /// that starts to stop ends the wait at once with what it has (an empty <c>runs</c>), so the
    /// worker gets an answer instead of a dropped connection and claims again elsewhere. A client whose
    /// connection has closed gets nothing claimed for it (<see cref="ClientConnection.Closed"/>).
    /// </summary>
    private static async Task<IResult> Claim(ClaimRunsRequest body, JobService jobs, TimeProvider time, GracefulShutdown shutdown, SpectralMetrics metrics,
        HttpContext http, ILoggerFactory logs, CancellationToken ct)
    {
        var errors = new RequestErrors();
        errors.Text("workerId", body.WorkerId, Limits.MaxIdLength, required: true);
        if (body.Queues is null || body.Queues.Count == 0)
        {
            errors.Add("queues", "is required: the queues to take runs from, e.g. [\"default\"]");
        }
        JobRequests.Names(errors, "queues", body.Queues);
        JobRequests.Names(errors, "types", body.Types);
        JobRequests.Range(errors, "max", body.Max, 1, MaxClaim);
        JobRequests.Range(errors, "leaseSeconds", body.LeaseSeconds, 5, 3600);
        JobRequests.Range(errors, "waitSeconds", body.WaitSeconds, 0, MaxWaitSeconds);
        if (errors.Any)
        {
            return TasksApi.Invalid(errors);
        }
        var request = new ClaimRequest(body.WorkerId!, body.Queues!, body.Types is { Count: > 0 } t ? t : null, body.Max ?? 1,
            TimeSpan.FromSeconds(body.LeaseSeconds ?? 30));
        var until = time.GetUtcNow().AddSeconds(body.WaitSeconds ?? 0);
        var stopping = shutdown.Stopping;
        var closed = ClientConnection.Closed(http);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct, stopping, closed);
        if (closed.IsCancellationRequested)
        {
            // Nobody would receive what a claim leased: the runs would sit out their lease and lose an attempt.
            return TypedResults.Ok(new ClaimRunsResponse([]));
        }
        var arrived = jobs.WorkArrived;
        var claimed = await jobs.ClaimAsync(request, ct);
        if (claimed.Count == 0 && until > time.GetUtcNow() && !stopping.IsCancellationRequested)
        {
            metrics.ClaimWaitStarted();
            try
            {
                while (claimed.Count == 0 && until > time.GetUtcNow())
                {
                    var left = until - time.GetUtcNow();
                    var poll = left < TimeSpan.FromMilliseconds(500) ? left : TimeSpan.FromMilliseconds(500);
                    await Task.WhenAny(arrived, Task.Delay(poll, time, wait.Token));
                    ct.ThrowIfCancellationRequested();
                    if (stopping.IsCancellationRequested || closed.IsCancellationRequested)
                    {
                        break;
                    }
                    arrived = jobs.WorkArrived;
                    claimed = await jobs.ClaimAsync(request, ct);
                }
            }
            finally
            {
                metrics.ClaimWaitEnded();
            }
        }
        if (claimed.Count > 0 && closed.IsCancellationRequested)
        {
            // The connection closed while the claim's transaction ran: nobody will receive these runs.
            // Left leased, each would wait out its lease and use up an attempt; given back, another
            // worker can take it now, as if this claim had not happened.
            var leases = claimed.Select(c => new RunLease(c.Run.TaskId, c.Run.LeaseToken!)).ToList();
            var returned = await jobs.UnclaimAsync(leases, "its connection closed before the claim's answer", CancellationToken.None);
            // The ones not given back (a unique key taken meanwhile) wait out their lease: worth a warning.
            logs.CreateLogger(typeof(WorkersApi)).Log(returned.Count == claimed.Count ? LogLevel.Information : LogLevel.Warning,
                "Worker {WorkerId} closed its connection while claiming; {Returned} of {Count} leased run(s) went back to the queue",
                request.WorkerId, returned.Count, claimed.Count);
            return TypedResults.Ok(new ClaimRunsResponse([]));
        }
        return TypedResults.Ok(new ClaimRunsResponse([.. claimed.Select(c => RunDto.From(c, withToken: true))]));
    }

    /// <summary>A token asked for with an enqueue covers every run (and its task): this many at most.</summary>
    public const int MaxRunsWithToken = 50;

    private static async Task<IResult> Enqueue(EnqueueRunsRequest body, JobService jobs, ClaimsPrincipal user, HttpContext http, CancellationToken ct)
    {
        var errors = new RequestErrors();
        if (body.Runs is null || body.Runs.Count is 0 or > JobRequests.MaxRunsPerRequest)
        {
            errors.Add("runs", $"must hold 1 to {JobRequests.MaxRunsPerRequest} runs");
            return TasksApi.Invalid(errors);
        }
        var runs = new List<NewRun>(body.Runs.Count);
        for (var i = 0; i < body.Runs.Count; i++)
        {
            if (JobRequests.Run(errors, body.Runs[i], $"runs[{i}].", user.Identity?.Name) is { } run)
            {
                runs.Add(run);
            }
        }
        var tokenTtl = TokensApi.OnCreate(body.Token, errors, http.Request);
        if (tokenTtl is not null && runs.Count > MaxRunsWithToken)
        {
            errors.Add("token", $"can cover at most {MaxRunsWithToken} runs; enqueue fewer runs per request");
        }
        if (errors.Any)
        {
            return TasksApi.Invalid(errors);
        }
        TokenDto? token = null;
        if (tokenTtl is not null)
        {
            // The ids must be known before the write, so the token is minted before anything is written.
            runs = [.. runs.Select(r => r.Id is null ? r with { Id = Guid.CreateVersion7().ToString() } : r)];
            token = await TokensApi.ForCreateAsync(tokenTtl,
                [.. runs.SelectMany(r => new[] { new Grant(Operation.Read, Resource.Runs, r.Id!), new Grant(Operation.Read, Resource.Tasks, r.Id!) })], http, ct);
        }
        var changes = await jobs.EnqueueAsync(runs, ct);
        return TypedResults.Created((string?)null, new ClaimRunsResponse([.. changes.Select(c => RunDto.From(c))], token));
    }

    /// <summary>
    /// Retries a dead-lettered (failed) or canceled run as a new run, due now, with the first run's
    /// job, type, payload and queue settings; the new task's metadata names the old run in <c>retryOf</c>.
    /// </summary>
    private static async Task<IResult> Retry(string id, JobService jobs, ClaimsPrincipal user, CancellationToken ct)
    {
        var change = await jobs.RetryAsync(id, user.Identity?.Name, ct);
        return TypedResults.Created($"/api/v1/runs/{Uri.EscapeDataString(change.Run.TaskId)}", RunDto.From(change));
    }

    private static async Task<IResult> Heartbeat(string id, HeartbeatRequest body, JobService jobs, CancellationToken ct)
    {
        var errors = LeaseErrors(body.LeaseToken);
        JobRequests.Range(errors, "leaseSeconds", body.LeaseSeconds, 5, 3600);
        if (errors.Any)
        {
            return TasksApi.Invalid(errors);
        }
        var run = await jobs.HeartbeatAsync(id, body.LeaseToken!, TimeSpan.FromSeconds(body.LeaseSeconds ?? 30), ct);
        return TypedResults.Ok(new HeartbeatResponse(run.LeaseExpiresAt, run.CancelRequested));
    }

    private static async Task<IResult> Complete(string id, CompleteRunRequest body, JobService jobs, CancellationToken ct)
    {
        var errors = LeaseErrors(body.LeaseToken);
        var result = body.Result is { ValueKind: not System.Text.Json.JsonValueKind.Null } r ? JobRequests.Payload(errors, "result", r) : null;
        if (errors.Any)
        {
            return TasksApi.Invalid(errors);
        }
        return TypedResults.Ok(RunDto.From(await jobs.CompleteAsync(id, body.LeaseToken!, result, ct)));
    }

    private static async Task<IResult> Fail(string id, FailRunRequest body, JobService jobs, CancellationToken ct)
    {
        var errors = LeaseErrors(body.LeaseToken);
        errors.Message("error", body.Error, required: true);
        JobRequests.Range(errors, "retryAfterSeconds", body.RetryAfterSeconds, 0, 7 * 86400);
        if (errors.Any)
        {
            return TasksApi.Invalid(errors);
        }
        DateTimeOffset? retryAt = body.RetryAfterSeconds is { } s ? jobs.Now.AddSeconds(s) : null;
        return TypedResults.Ok(RunDto.From(await jobs.FailAsync(new RunFailParams(id, body.LeaseToken!, body.Error!, body.Retryable ?? true, retryAt), ct)));
    }

    private static RequestErrors LeaseErrors(string? token)
    {
        var errors = new RequestErrors();
        errors.Text("leaseToken", token, 100, required: true);
        return errors;
    }
    /// <summary>
    /// A run and its task as they were at one moment. They are two reads, and a run that ends
    /// between them would show its task's <c>success</c> beside the run's missing result; every
    /// change of a run's outcome moves its task's version, so the task is read on both sides of the
    /// run and the pair is kept only when that version did not move.
    /// </summary>
    private static async Task<(JobRun Run, Tasks.TaskItem? Task)> ReadRunAndTaskAsync(IStore store, string id, CancellationToken ct)
    {
        var before = await store.TaskGetAsync(id, ct);
        for (var attempt = 0; ; attempt++)
        {
            var run = await store.RunGetAsync(id, ct) ?? throw new RunNotFoundException(id);
            var after = await store.TaskGetAsync(id, ct);
            // A run whose outcome keeps moving under a hot reader is still answered after a few tries.
            if (after?.Version == before?.Version || attempt == 4)
            {
                return (run, after);
            }
            before = after;
        }
    }
}
