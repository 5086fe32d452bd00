using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging.Abstractions;
using SpectralNotify.Server.Api.Idempotency;
using SpectralNotify.Server.Hosting;
using SpectralNotify.Storage;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Api;

/// <summary>
/// Which failures release an Idempotency-Key: one that wrote nothing does (the retry runs), one whose
/// write may have been applied (a COMMIT whose answer was lost) does not (the retry cannot apply it twice).
/// </summary>
public sealed class IdempotencyOutcomeTests
{
    [Theory]
    [InlineData(false, 201)]
    [InlineData(true, 409)]
    public async Task A_write_that_may_have_been_applied_keeps_its_key_claimed(bool outcomeUnknown, int retryStatus)
    {
        await using var db = await TestDatabase.CreateAsync(Engine.Sqlite);
        await using var store = await db.CreateStoreAsync();
        var services = new ServiceCollection().AddProblemDetails().AddLogging().BuildServiceProvider();
        var calls = 0;
        var middleware = new IdempotencyMiddleware(http =>
        {
            if (++calls == 1)
            {
                // A failure that wrote nothing (a bug's 500 here; a 503 releases the key too, in the background).
                throw outcomeUnknown
                    ? StoreUnavailableException.DuringCommit("connection lost while committing", null)
                    : new InvalidOperationException("failed before writing anything");
            }
            http.Response.StatusCode = 201;
            return Task.CompletedTask;
        }, store, TimeProvider.System, new SpectralOptions(), NullLogger<IdempotencyMiddleware>.Instance);

        await Assert.ThrowsAnyAsync<Exception>(() => middleware.InvokeAsync(Request(services)));
        var retry = Request(services);
        await middleware.InvokeAsync(retry);
        Assert.Equal(retryStatus, retry.Response.StatusCode);
        Assert.Equal(outcomeUnknown ? 1 : 2, calls); // a kept claim never runs the write again
    }

    [Fact]
    public async Task Once_the_database_answers_again_a_retry_is_told_the_outcome_is_unknown()
    {
        await using var db = await TestDatabase.CreateAsync(Engine.Sqlite);
        await using var store = await db.CreateStoreAsync();
        var services = new ServiceCollection().AddProblemDetails().AddLogging().BuildServiceProvider();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var middleware = new IdempotencyMiddleware(_ => throw StoreUnavailableException.DuringCommit("connection lost while committing", null),
            store, time, new SpectralOptions(), NullLogger<IdempotencyMiddleware>.Instance);
        await Assert.ThrowsAsync<StoreUnavailableException>(() => middleware.InvokeAsync(Request(services)));

        // The answer is stored in the background after its first wait (1 s); retries then replay it.
        time.Advance(TimeSpan.FromSeconds(1));
        DefaultHttpContext retry = null!;
        await Eventually.TrueAsync(async () =>
        {
            retry = Request(services);
            await middleware.InvokeAsync(retry);
            return retry.Response.Headers[IdempotencyMiddleware.ReplayedHeader] == "true";
        }, "the outcome-unknown answer is stored and replayed");
        Assert.Equal(409, retry.Response.StatusCode);
        retry.Response.Body.Position = 0;
        Assert.Contains("Outcome unknown", await new StreamReader(retry.Response.Body).ReadToEndAsync(), StringComparison.Ordinal);
    }

    private static DefaultHttpContext Request(IServiceProvider services)
    {
        var http = new DefaultHttpContext { RequestServices = services };
        // A request that routing matched to a POST route: the only kind the middleware records.
        http.SetEndpoint(new Endpoint(_ => Task.CompletedTask, new EndpointMetadataCollection(new HttpMethodMetadata(["POST"])), "POST /api/v1/tasks"));
        http.Request.Method = "POST";
        http.Request.Path = "/api/v1/tasks";
        http.Request.Headers["Idempotency-Key"] = "retry-me";
        http.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes("""{"id":"t"}"""));
        http.Response.Body = new MemoryStream();
        return http;
    }
}
