using System.Collections.Concurrent;

namespace SpectralNotify.Tests.Worker;

/// <summary>What the test's handlers tell the test, and how the test steers them: a singleton shared through DI.</summary>
internal sealed class Probe
{
    /// <summary>Every attempt a handler ran: (run id, attempt).</summary>
    public ConcurrentQueue<(string Run, int Attempt)> Attempts { get; } = new();

    /// <summary>Set by a handler once its attempt is under way.</summary>
    public TaskCompletionSource<string> Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Set by the test to let a waiting handler go on.</summary>
    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Set by a handler when its cancellation token fired.</summary>
    public TaskCompletionSource TokenFired { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
}
