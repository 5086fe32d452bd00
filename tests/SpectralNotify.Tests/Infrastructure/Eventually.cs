namespace SpectralNotify.Tests.Infrastructure;

/// <summary>
/// Waits for a condition that background work makes true (a session row written after a socket
/// closes). It re-checks on a short period and fails with a message at the deadline; it is a wait
/// for an observable fact, never a fixed sleep.
/// </summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, string because, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(10));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting until {because}.");
            }
            await Task.Delay(25);
        }
    }
}
