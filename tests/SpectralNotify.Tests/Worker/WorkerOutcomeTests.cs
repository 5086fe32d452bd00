using System.Net;
using SpectralNotify.Client;
using SpectralNotify.Handlers;
using SpectralNotify.Worker;

namespace SpectralNotify.Tests.Worker;

/// <summary>
/// How the remote worker turns a handler's exception into the fail it sends, and which answers it
/// tries again: the rules the server-backed tests rely on, checked one by one.
/// </summary>
public sealed class WorkerOutcomeTests
{
    [Fact]
    public void A_JobFailure_keeps_its_message_retry_choice_and_retry_time_rounded_up_to_seconds()
    {
        var fail = RunExecutor.Failure(new JobFailure("bad input", retryable: false, retryAfter: TimeSpan.FromMilliseconds(1500)), null);
        Assert.Equal(("bad input", false, (int?)2), (fail.Error, fail.Retryable, fail.RetryAfterSeconds));
    }

    [Fact]
    public void Any_other_exception_is_retryable_with_the_jobs_backoff_and_names_its_type()
    {
        var fail = RunExecutor.Failure(new InvalidOperationException("boom"), null);
        Assert.Equal(("InvalidOperationException: boom", true, (int?)null), (fail.Error, fail.Retryable, fail.RetryAfterSeconds));
    }

    [Fact]
    public void A_handler_stopped_by_the_drain_is_handed_back_for_an_immediate_retry()
    {
        var fail = RunExecutor.Failure(new OperationCanceledException(), RunExecutor.Interrupted);
        Assert.Equal(("interrupted by shutdown", true, (int?)0), (fail.Error, fail.Retryable, fail.RetryAfterSeconds));
        var canceled = RunExecutor.Failure(new TaskCanceledException(), "stopped on request");
        Assert.Equal(("stopped on request", true, (int?)null), (canceled.Error, canceled.Retryable, canceled.RetryAfterSeconds));
    }

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable, true)]
    [InlineData(HttpStatusCode.InternalServerError, true)]
    [InlineData(HttpStatusCode.TooManyRequests, true)]
    [InlineData(HttpStatusCode.RequestTimeout, true)]
    [InlineData(HttpStatusCode.Conflict, false)]
    [InlineData(HttpStatusCode.NotFound, false)]
    [InlineData(HttpStatusCode.Unauthorized, false)]
    [InlineData(HttpStatusCode.BadRequest, false)]
    public void Answers_that_ask_to_be_tried_again_are_retried_and_others_are_not(HttpStatusCode status, bool transient)
    {
        Assert.Equal(transient, CallRetry.IsTransient(new SpectralApiException(status, new SpectralProblem(), "runs.complete"), out _));
    }

    [Fact]
    public void A_409_with_Retry_After_is_an_idempotency_key_still_in_flight_and_is_retried_after_it()
    {
        var inFlight = new SpectralApiException(HttpStatusCode.Conflict, new SpectralProblem(), "runs.complete", TimeSpan.FromSeconds(1));
        Assert.True(CallRetry.IsTransient(inFlight, out var after));
        Assert.Equal(TimeSpan.FromSeconds(1), after);
        Assert.True(CallRetry.IsTransient(new SpectralNetworkException("runs.complete", new HttpRequestException("refused")), out _));
        Assert.False(CallRetry.IsTransient(new InvalidOperationException(), out _));
    }
}
