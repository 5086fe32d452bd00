using System.Net;
using System.Net.Sockets;
using SpectralNotify.Client;
using SpectralNotify.Client.Live;

namespace SpectralNotify.Tests.Client.Live;

/// <summary>The default full-jitter policy stays within its bounds; a policy that answers null closes the client and ends its watches.</summary>
public sealed class LiveRetryPolicyTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(0.999)]
    public void Full_jitter_delays_stay_between_the_floor_and_the_doubling_ceiling(double draw)
    {
        var policy = new FullJitterRetryPolicy(() => draw)
        {
            MinDelay = TimeSpan.FromMilliseconds(100),
            BaseDelay = TimeSpan.FromMilliseconds(500),
            MaxDelay = TimeSpan.FromSeconds(20),
        };
        var reason = new IOException("refused");
        for (var attempt = 0; attempt < 70; attempt++)
        {
            var delay = policy.NextRetryDelay(new LiveRetryContext(attempt, TimeSpan.FromSeconds(attempt), reason));
            var ceiling = Math.Min(20_000, 500 * Math.Pow(2, Math.Min(attempt, 30)));
            Assert.NotNull(delay);
            Assert.InRange(delay.Value.TotalMilliseconds, 100, ceiling);
            Assert.Equal(Math.Max(100, draw * ceiling), delay.Value.TotalMilliseconds, 3);
        }
    }

    [Fact]
    public void The_default_policy_draws_different_delays_and_stops_after_its_max_elapsed_time()
    {
        var policy = new FullJitterRetryPolicy { MaxElapsedTime = TimeSpan.FromMinutes(1) };
        var reason = new IOException("refused");
        var delays = Enumerable.Range(0, 50).Select(_ => policy.NextRetryDelay(new LiveRetryContext(8, TimeSpan.FromSeconds(5), reason))!.Value).ToHashSet();
        Assert.True(delays.Count > 1, "full jitter spreads the delays");
        Assert.All(delays, d => Assert.InRange(d, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(20)));
        Assert.Null(policy.NextRetryDelay(new LiveRetryContext(9, TimeSpan.FromMinutes(1), reason)));
    }

    /// <summary>Gives up after <paramref name="attempts"/> answers; records what it was asked.</summary>
    private sealed class GiveUpAfter(int attempts) : ILiveRetryPolicy
    {
        public List<LiveRetryContext> Asked { get; } = [];

        public TimeSpan? NextRetryDelay(LiveRetryContext retryContext)
        {
            lock (Asked)
            {
                Asked.Add(retryContext);
                return Asked.Count > attempts ? null : TimeSpan.FromMilliseconds(10);
            }
        }
    }

    [Fact]
    public async Task A_policy_that_answers_null_closes_the_client_and_ends_every_watch_with_the_error()
    {
        var port = ClosedPort();
        var policy = new GiveUpAfter(2);
        await using var client = SpectralClient.Create(new SpectralClientOptions
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}"),
            ApiKey = "k",
            Live = new SpectralLiveOptions { RetryPolicy = policy, ConnectTimeout = TimeSpan.FromSeconds(5) },
        });
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Live.Closed += e => { closed.TrySetResult(e); return Task.CompletedTask; };

        var watch = new LiveRecorder<LiveChange<SpectralNotify.Client.Models.SpectralTask, SpectralNotify.Client.Models.TaskEvent>>(client.Live.WatchTaskAsync("t"));
        var error = await Assert.ThrowsAsync<SpectralLiveException>(() => watch.Completion.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("closed", error.Code);
        Assert.Same(error, await closed.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal([0L, 1, 2], policy.Asked.Select(c => c.PreviousRetryCount));
        Assert.All(policy.Asked, c => Assert.NotNull(c.RetryReason));
        Assert.Empty(watch.Items);
    }

    /// <summary>A loopback port nothing listens on (bound, then released).</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
