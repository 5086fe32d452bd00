using SpectralNotify.Client.Models;
using SpectralNotify.Client.Producer;

namespace SpectralNotify.Client.Resources;

public sealed partial class TasksResource
{
    /// <summary>
    /// Creates a task and returns a <see cref="TaskScope"/> to report on it:
    /// <c>await using var task = await client.Tasks.StartAsync(new CreateTaskRequest { Title = "Encode" }, ct);</c>
    /// The task starts <c>in-progress</c> unless <paramref name="request"/> says otherwise.
    /// </summary>
    public async Task<TaskScope> StartAsync(CreateTaskRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var created = await CreateAsync(request with { Status = request.Status ?? TaskStatuses.InProgress }, null, ct).ConfigureAwait(false);
        return new TaskScope(this, created);
    }

    /// <summary>
    /// Creates a task, runs <paramref name="work"/> with its scope, and ends the task by how the work
    /// ended: completed when it returns; failed with the exception (<c>"{type}: {message}"</c>, and
    /// <c>exceptionType</c> in the error event's metadata) when it throws, which is then rethrown; canceled when it
    /// throws <see cref="OperationCanceledException"/> because <paramref name="ct"/> fired.
    /// </summary>
    /// <returns>The task as it ended.</returns>
    public async Task<SpectralTask> RunAsync(CreateTaskRequest request, Func<TaskScope, CancellationToken, Task> work, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        var scope = await StartAsync(request, ct).ConfigureAwait(false);
        await using (scope.ConfigureAwait(false))
        {
            try
            {
                await work(scope, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                await EndQuietlyAsync(() => scope.CancelAsync("The producer was canceled.", CancellationToken.None)).ConfigureAwait(false);
                throw;
            }
            catch (Exception e)
            {
                await EndQuietlyAsync(() => scope.FailAsync(e, CancellationToken.None)).ConfigureAwait(false);
                throw;
            }
            return await scope.CompleteAsync(null, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Ends the task after the work threw; a failure to do so must not replace the work's exception.</summary>
    private static async Task EndQuietlyAsync(Func<Task<SpectralTask>> end)
    {
        try
        {
            await end().ConfigureAwait(false);
        }
        catch (Exception e) when (e is SpectralApiException or SpectralNetworkException)
        {
            // The work's exception is what the caller needs; the task is left as the server has it.
        }
    }
}
