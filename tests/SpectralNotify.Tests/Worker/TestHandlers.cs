using System.Text.Json;
using SpectralNotify.Handlers;

namespace SpectralNotify.Tests.Worker;

/// <summary>Reports progress, an event and a tool execution, then returns a result.</summary>
internal sealed class ReportingHandler(Probe probe) : IJobHandler
{
    public async Task<JsonElement?> HandleAsync(IJobContext context, CancellationToken ct)
    {
        probe.Attempts.Enqueue((context.RunId, context.Attempt));
        await context.ProgressAsync(25, "a quarter", ct);
        var tool = await context.ToolStartAsync("resize", JsonSerializer.SerializeToElement(new { size = 128 }), ct);
        await context.ToolCompleteAsync(tool, JsonSerializer.SerializeToElement(new { ok = true }), ct);
        await context.ProgressAsync(75, "three quarters", ct);
        await context.EventAsync("almost done", ct: ct);
        return JsonSerializer.SerializeToElement(new { thumb = context.Payload.GetProperty("image").GetString() + "-128.png", attempt = context.Attempt });
    }
}

/// <summary>Always throws a plain exception: retried with the job's backoff.</summary>
internal sealed class ThrowingHandler(Probe probe) : IJobHandler
{
    public Task<JsonElement?> HandleAsync(IJobContext context, CancellationToken ct)
    {
        probe.Attempts.Enqueue((context.RunId, context.Attempt));
        throw new InvalidOperationException($"boom on attempt {context.Attempt}");
    }
}

/// <summary>Fails as not retryable.</summary>
internal sealed class FatalHandler(Probe probe) : IJobHandler
{
    public Task<JsonElement?> HandleAsync(IJobContext context, CancellationToken ct)
    {
        probe.Attempts.Enqueue((context.RunId, context.Attempt));
        throw new JobFailure("the payload can never work", retryable: false);
    }
}

/// <summary>Says it started, then waits for its token only; records that the token fired.</summary>
internal sealed class WaitForTokenHandler(Probe probe) : IJobHandler
{
    public async Task<JsonElement?> HandleAsync(IJobContext context, CancellationToken ct)
    {
        probe.Attempts.Enqueue((context.RunId, context.Attempt));
        probe.Started.TrySetResult(context.RunId);
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException)
        {
            probe.TokenFired.TrySetResult();
            throw;
        }
        return null;
    }
}

/// <summary>Reports, says it started, waits for the test's release, reports again and completes.</summary>
internal sealed class ReleasedHandler(Probe probe) : IJobHandler
{
    public async Task<JsonElement?> HandleAsync(IJobContext context, CancellationToken ct)
    {
        probe.Attempts.Enqueue((context.RunId, context.Attempt));
        await context.ProgressAsync(10, "before", ct);
        probe.Started.TrySetResult(context.RunId);
        await probe.Release.Task.WaitAsync(ct);
        await context.ProgressAsync(60, "after the release", ct);
        await context.EventAsync("finishing", ct: ct);
        return JsonSerializer.SerializeToElement(new { done = true });
    }
}

/// <summary>Completes at once.</summary>
internal sealed class QuickHandler(Probe probe) : IJobHandler
{
    public Task<JsonElement?> HandleAsync(IJobContext context, CancellationToken ct)
    {
        probe.Attempts.Enqueue((context.RunId, context.Attempt));
        return Task.FromResult<JsonElement?>(JsonSerializer.SerializeToElement(new { attempt = context.Attempt }));
    }
}
