using System.Runtime.ExceptionServices;
using System.Text.Json;
using SpectralNotify.Client.Models;
using SpectralNotify.Client.Resources;

namespace SpectralNotify.Client.Producer;

/// <summary>
/// A task being worked on by this process (from <see cref="TasksResource.StartAsync"/>): report progress
/// cheaply, then complete or fail it.
/// </summary>
/// <remarks>
/// <para><b>Coalescing.</b> <see cref="ReportAsync"/> records the value and returns at once; one
/// request at a time carries the latest value to the server. A burst of reports therefore costs a few
/// requests, the values the server sees are in the order they were reported (some skipped), and the
/// last one reported is always sent: <see cref="CompleteAsync"/>, <see cref="FailAsync(string, CancellationToken)"/>,
/// <see cref="LogAsync"/> and <see cref="DisposeAsync"/> first wait for it.</para>
/// <para><b>A failed report</b> (after the HTTP pipeline's own retries) is thrown by the next
/// <see cref="ReportAsync"/> or <see cref="FlushAsync"/>, once; <see cref="AsProgress"/> reports never throw.</para>
/// <para><b>Ending.</b> A scope disposed without <see cref="CompleteAsync"/>, <c>FailAsync</c> or <see cref="CancelAsync"/> fails the
/// task with <see cref="AbandonedError"/>, so it never stays in progress forever (a disposal cannot
/// see the exception that caused it: <see cref="TasksResource.RunAsync"/> can, and fails the task with
/// it). Disposal is best effort: if that last request fails, the error is swallowed so it cannot hide
/// the exception that ended the scope.</para>
/// </remarks>
public sealed class TaskScope : IAsyncDisposable
{
    /// <summary>The error a task gets when its scope is disposed without being completed or failed.</summary>
    public const string AbandonedError = "The producer ended without completing the task (TaskScope disposed without CompleteAsync or FailAsync).";

    private readonly TasksResource tasks;
    private readonly object gate = new();
    private (double Percent, string? Message)? pending;
    private Task? pump;
    private Exception? failure;
    private SpectralTask current;
    private bool ended;

    internal TaskScope(TasksResource tasks, SpectralTask task)
    {
        this.tasks = tasks;
        current = task;
    }

    /// <summary>The task's id.</summary>
    public string Id => current.Id;

    /// <summary>The task as the server last answered it (after create, a report, or the end).</summary>
    public SpectralTask Task
    {
        get { lock (gate) { return current; } }
    }

    /// <summary>
    /// Sets the progress (0–100) with an optional message. Returns at once; the value is sent in the
    /// background, coalesced with later ones. Throws a failure of an earlier report, and
    /// <see cref="InvalidOperationException"/> once the scope has ended.
    /// </summary>
    public Task ReportAsync(double percent, string? message = null, CancellationToken ct = default)
    {
        if (double.IsNaN(percent) || percent is < 0 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(percent), percent, "Progress must be a number from 0 to 100.");
        }
        ct.ThrowIfCancellationRequested();
        Exception? earlier;
        lock (gate)
        {
            if (ended)
            {
                throw new InvalidOperationException($"Task '{Id}' was already completed or failed through this scope.");
            }
            earlier = failure;
            failure = null;
            Offer(percent, message);
        }
        if (earlier is not null)
        {
            ExceptionDispatchInfo.Throw(earlier);
        }
        return System.Threading.Tasks.Task.CompletedTask;
    }

    /// <summary>An <see cref="IProgress{T}"/> over <see cref="ReportAsync"/> (0–100, clamped); its reports never throw and are dropped once the scope ended.</summary>
    public IProgress<double> AsProgress() => new ProgressAdapter(this);

    /// <summary>Waits until every report made so far is on the server; throws a report's failure.</summary>
    public async Task FlushAsync(CancellationToken ct = default)
    {
        await DrainAsync(ct).ConfigureAwait(false);
        Exception? earlier;
        lock (gate)
        {
            earlier = failure;
            failure = null;
        }
        if (earlier is not null)
        {
            ExceptionDispatchInfo.Throw(earlier);
        }
    }

    /// <summary>Appends an event after the reports made before it (<paramref name="type"/>: log, error, …).</summary>
    public async Task<TaskEvent> LogAsync(string message, string type = TaskEventTypes.Log, CancellationToken ct = default)
    {
        await FlushAsync(ct).ConfigureAwait(false);
        return await tasks.AddEventAsync(Id, new AddEventRequest { Type = type, Message = message }, null, ct).ConfigureAwait(false);
    }

    /// <summary>Sends the last report, then completes the task (progress 100), with <paramref name="metadata"/> (e.g. a result) on its success event.</summary>
    public async Task<SpectralTask> CompleteAsync(JsonElement? metadata = null, CancellationToken ct = default)
    {
        await EndAsync(ct).ConfigureAwait(false);
        return Keep(await tasks.CompleteAsync(Id, metadata, null, ct).ConfigureAwait(false));
    }

    /// <summary>Sends the last report, then fails the task with <paramref name="error"/>.</summary>
    public async Task<SpectralTask> FailAsync(string error, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(error);
        await EndAsync(ct).ConfigureAwait(false);
        return Keep(await tasks.FailAsync(Id, error, null, null, ct).ConfigureAwait(false));
    }

    /// <summary>
    /// Sends the last report, then fails the task with the exception: the error is
    /// <c>"{type}: {message}"</c> and the error event's metadata holds <c>exceptionType</c>.
    /// </summary>
    public async Task<SpectralTask> FailAsync(Exception exception, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(exception);
        await EndAsync(ct).ConfigureAwait(false);
        var type = exception.GetType().FullName ?? exception.GetType().Name;
        var metadata = JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["exceptionType"] = type }, SpectralJson.Options);
        return Keep(await tasks.FailAsync(Id, ErrorText(type, exception.Message), metadata, null, ct).ConfigureAwait(false));
    }

    /// <summary>Sends the last report, then cancels the task with an optional reason.</summary>
    public async Task<SpectralTask> CancelAsync(string? reason = null, CancellationToken ct = default)
    {
        await EndAsync(ct).ConfigureAwait(false);
        return Keep(await tasks.CancelAsync(Id, reason, null, null, ct).ConfigureAwait(false));
    }

    /// <summary>Sends the last report; if the scope was neither completed nor failed, fails the task with <see cref="AbandonedError"/> (best effort).</summary>
    public async ValueTask DisposeAsync()
    {
        bool abandoned;
        lock (gate)
        {
            abandoned = !ended;
            ended = true;
        }
        try
        {
            await DrainAsync(CancellationToken.None).ConfigureAwait(false);
            if (abandoned)
            {
                Keep(await tasks.FailAsync(Id, AbandonedError, null, null, CancellationToken.None).ConfigureAwait(false));
            }
        }
        catch (Exception e) when (e is SpectralApiException or SpectralNetworkException)
        {
            // Best effort (see remarks): a throw here would replace the exception that ended the scope.
        }
    }

    /// <summary>The error text for an exception, within the server's 8 KiB limit.</summary>
    internal static string ErrorText(string type, string message)
    {
        var text = $"{type}: {message}";
        return text.Length <= 2000 ? text : text[..2000] + "…";
    }

    /// <summary>Records a value and starts the pump when it is idle. Called under the lock.</summary>
    private void Offer(double percent, string? message)
    {
        pending = (percent, message);
        if (pump is null)
        {
            // Created under the lock, started outside the caller's frame: a flush always sees the running pump.
            var starter = new Task<Task>(PumpAsync);
            pump = starter.Unwrap();
            starter.Start(TaskScheduler.Default);
        }
    }

    /// <summary>Sends the latest value until none is pending; one request at a time.</summary>
    private async Task PumpAsync()
    {
        while (true)
        {
            (double Percent, string? Message) next;
            lock (gate)
            {
                if (pending is not { } value)
                {
                    pump = null;
                    return;
                }
                next = value;
                pending = null;
            }
            try
            {
                Keep(await tasks.ProgressAsync(Id, next.Percent, next.Message, null, CancellationToken.None).ConfigureAwait(false));
            }
            catch (Exception e)
            {
                lock (gate)
                {
                    failure = e;
                }
            }
        }
    }

    private async Task DrainAsync(CancellationToken ct)
    {
        while (true)
        {
            Task? running;
            lock (gate)
            {
                running = pump;
            }
            if (running is null)
            {
                return;
            }
            await running.WaitAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>Closes the scope to reports and sends the last one; a report's failure is dropped, since the end supersedes it.</summary>
    private async Task EndAsync(CancellationToken ct)
    {
        lock (gate)
        {
            if (ended)
            {
                throw new InvalidOperationException($"Task '{Id}' was already completed or failed through this scope.");
            }
            ended = true;
        }
        await DrainAsync(ct).ConfigureAwait(false);
        lock (gate)
        {
            failure = null;
        }
    }

    private SpectralTask Keep(SpectralTask task)
    {
        lock (gate)
        {
            // Answers can only arrive in order (one request at a time), so the last one is the newest.
            current = task;
        }
        return task;
    }

    private sealed class ProgressAdapter(TaskScope scope) : IProgress<double>
    {
        public void Report(double value)
        {
            if (double.IsNaN(value))
            {
                return;
            }
            lock (scope.gate)
            {
                if (!scope.ended)
                {
                    scope.Offer(Math.Clamp(value, 0, 100), null);
                }
            }
        }
    }
}
