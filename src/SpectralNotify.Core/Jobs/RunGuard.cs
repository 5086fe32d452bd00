using SpectralNotify.Tasks;

namespace SpectralNotify.Jobs;

/// <summary>
/// A job run's task starts and ends only through its run (claim, start, complete, fail, cancel,
/// lease expiry), whatever route a request takes: otherwise the run would stay leased with a
/// finished task, and its queue, its worker and its dependents would disagree about its state.
/// Stores apply this to every task write that does not come from the job algorithm, inside the
/// write's transaction.
/// </summary>
public static class RunGuard
{
    /// <summary>Whether the write changes the task's status, and so must be refused if the task is a job run (the store then checks).</summary>
    public static bool NeedsCheck(TaskItem before, TaskItem after) => before.Status != after.Status;

    /// <exception cref="TaskIsJobRunException">When <paramref name="isRun"/>.</exception>
    public static void Check(string taskId, bool isRun)
    {
        if (isRun)
        {
            throw new TaskIsJobRunException(taskId);
        }
    }
}
