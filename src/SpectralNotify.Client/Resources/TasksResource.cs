using System.Runtime.CompilerServices;
using System.Globalization;
using System.Text;
using System.Text.Json;
using SpectralNotify.Client.Internal;
using SpectralNotify.Client.Models;

namespace SpectralNotify.Client.Resources;

/// <summary>
/// <c>/api/v1/tasks</c>: create, read, report progress and events, finish. Writes take
/// <see cref="RequestOptions"/> for an explicit <c>Idempotency-Key</c> or an <c>If-Match</c> version.
/// </summary>
public sealed partial class TasksResource
{
    private readonly SpectralHttp http;

    internal TasksResource(SpectralHttp http) => this.http = http;

    /// <summary>Creates a task (201). A request with <see cref="CreateTaskRequest.Token"/> is sent without an automatic Idempotency-Key, which the server refuses with it.</summary>
    [ApiRouteName("tasks.create")]
    public Task<SpectralTask> CreateAsync(CreateTaskRequest request, RequestOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var call = request.Token is null ? options : options.WithoutAutomaticKey();
        return http.CallAsync<SpectralTask>(ApiRoutes.TasksCreate, ApiRoutes.TasksCreate.Path(), request, call, ct);
    }

    /// <summary>One page of tasks, newest first.</summary>
    [ApiRouteName("tasks.list")]
    public Task<Page<SpectralTask>> ListAsync(TaskQuery? query = null, CancellationToken ct = default)
    {
        query ??= new TaskQuery();
        var q = new QueryString().Add("status", query.Status).Add("type", query.Type).Add("q", query.Q)
            .Add("search", query.Search).Add("metadata", query.Metadata is null ? null : MetadataJson(query.Metadata))
            .Add("createdAfter", query.CreatedAfter).Add("createdBefore", query.CreatedBefore).Add("limit", query.Limit).Add("cursor", query.Cursor)
            .Add("order", query.Order);
        return http.CallAsync<Page<SpectralTask>>(ApiRoutes.TasksList, ApiRoutes.TasksList.Path() + q, null, null, ct);
    }

    /// <summary>Every task matching <paramref name="query"/>, page after page (<see cref="TaskQuery.Limit"/> is the page size).</summary>
    public async IAsyncEnumerable<SpectralTask> ListAllAsync(TaskQuery? query = null, [EnumeratorCancellation] CancellationToken ct = default)
    {
        query ??= new TaskQuery();
        while (true)
        {
            var page = await ListAsync(query, ct).ConfigureAwait(false);
            foreach (var task in page.Data)
            {
                yield return task;
            }
            if (page.Next is null)
            {
                yield break;
            }
            query = query with { Cursor = page.Next };
        }
    }

    /// <summary>Reads a task; 404 as <see cref="SpectralApiException"/>.</summary>
    [ApiRouteName("tasks.get")]
    public Task<SpectralTask> GetAsync(string id, CancellationToken ct = default) =>
        http.CallAsync<SpectralTask>(ApiRoutes.TasksGet, ApiRoutes.TasksGet.Path(id), null, null, ct);

    /// <summary>Changes title, description, metadata or config. With <see cref="RequestOptions.IfMatch"/> (the task's <see cref="SpectralTask.Version"/>) a stale version is 412.</summary>
    [ApiRouteName("tasks.update")]
    public Task<SpectralTask> UpdateAsync(string id, UpdateTaskRequest request, RequestOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return http.CallAsync<SpectralTask>(ApiRoutes.TasksUpdate, ApiRoutes.TasksUpdate.Path(id), request, options, ct);
    }

    /// <summary>Deletes a task and its events (admin).</summary>
    [ApiRouteName("tasks.delete")]
    public Task DeleteAsync(string id, CancellationToken ct = default) =>
        http.CallAsync(ApiRoutes.TasksDelete, ApiRoutes.TasksDelete.Path(id), null, null, ct);

    /// <summary>Appends an event to the task's history.</summary>
    [ApiRouteName("tasks.addEvent")]
    public Task<TaskEvent> AddEventAsync(string id, AddEventRequest request, RequestOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return http.CallAsync<TaskEvent>(ApiRoutes.TasksAddEvent, ApiRoutes.TasksAddEvent.Path(id), request, options, ct);
    }

    /// <summary>One page of the task's history, oldest first, after seq <paramref name="after"/>.</summary>
    [ApiRouteName("tasks.events")]
    public Task<Page<TaskEvent>> ListEventsAsync(string id, long? after = null, int? limit = null, CancellationToken ct = default)
    {
        var q = new QueryString().Add("after", after).Add("limit", limit);
        return http.CallAsync<Page<TaskEvent>>(ApiRoutes.TasksEvents, ApiRoutes.TasksEvents.Path(id) + q, null, null, ct);
    }

    /// <summary>The task's whole history after seq <paramref name="after"/>, page after page.</summary>
    public IAsyncEnumerable<TaskEvent> ListEventsAllAsync(string id, long? after = null, int? pageSize = null, CancellationToken ct = default) =>
        SeqPager.AllAsync((a, c) => ListEventsAsync(id, a, pageSize, c), after, ct);

    /// <summary>Sets the progress (0–100); the first report moves a pending task to in-progress.</summary>
    [ApiRouteName("tasks.progress")]
    public Task<SpectralTask> ProgressAsync(string id, double progress, string? message = null, RequestOptions? options = null, CancellationToken ct = default) =>
        http.CallAsync<SpectralTask>(ApiRoutes.TasksProgress, ApiRoutes.TasksProgress.Path(id),
            new ProgressRequest { Progress = progress, Message = message }, options, ct);

    /// <summary>Completes the task (progress 100).</summary>
    [ApiRouteName("tasks.complete")]
    public Task<SpectralTask> CompleteAsync(string id, JsonElement? metadata = null, RequestOptions? options = null, CancellationToken ct = default) =>
        http.CallAsync<SpectralTask>(ApiRoutes.TasksComplete, ApiRoutes.TasksComplete.Path(id),
            new CompleteTaskRequest { Metadata = metadata }, options, ct);

    /// <summary>Fails the task with <paramref name="error"/>.</summary>
    [ApiRouteName("tasks.fail")]
    public Task<SpectralTask> FailAsync(string id, string error, JsonElement? metadata = null, RequestOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(error);
        return http.CallAsync<SpectralTask>(ApiRoutes.TasksFail, ApiRoutes.TasksFail.Path(id),
            new FailTaskRequest { Error = error, Metadata = metadata }, options, ct);
    }

    /// <summary>
    /// Cancels the task. For a job run that a worker is running, the worker is asked to stop and the
    /// task is answered still in progress (202); the run ends when the worker stops.
    /// </summary>
    [ApiRouteName("tasks.cancel")]
    public Task<SpectralTask> CancelAsync(string id, string? reason = null, JsonElement? metadata = null, RequestOptions? options = null, CancellationToken ct = default) =>
        http.CallAsync<SpectralTask>(ApiRoutes.TasksCancel, ApiRoutes.TasksCancel.Path(id),
            new CancelTaskRequest { Reason = reason, Metadata = metadata }, options, ct);

    /// <summary>Applies up to 250 operations in order in one transaction: all or nothing.</summary>
    [ApiRouteName("tasks.batch")]
    public Task<TaskBatchResult> BatchAsync(TaskBatchRequest request, RequestOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return http.CallAsync<TaskBatchResult>(ApiRoutes.TasksBatch, ApiRoutes.TasksBatch.Path(), request, options, ct);
    }

    /// <summary>The <c>metadata</c> parameter: a JSON object of the pairs (written by hand: no reflection, so the client stays trimmable).</summary>
    private static string MetadataJson(IReadOnlyDictionary<string, object> metadata)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            foreach (var (key, value) in metadata)
            {
                switch (value)
                {
                    case string s: w.WriteString(key, s); break;
                    case bool b: w.WriteBoolean(key, b); break;
                    case IConvertible n when n.GetTypeCode() is >= TypeCode.SByte and <= TypeCode.Decimal:
                        w.WriteNumber(key, n.ToDouble(CultureInfo.InvariantCulture)); break;
                    default: throw new ArgumentException($"metadata.{key} must be a string, number or boolean", nameof(metadata));
                }
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
