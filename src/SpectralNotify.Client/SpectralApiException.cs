using System.Net;

namespace SpectralNotify.Client;

/// <summary>A call the server answered with a non-2xx status; <see cref="Problem"/> is its problem details.</summary>
public sealed class SpectralApiException : Exception
{
    /// <summary>Creates the exception for an answer.</summary>
    public SpectralApiException(HttpStatusCode status, SpectralProblem problem, string route, TimeSpan? retryAfter = null)
        : base($"{route}: {(int)status} {problem.Detail ?? problem.Title ?? status.ToString()}")
    {
        StatusCode = status;
        Problem = problem;
        Route = route;
        RetryAfter = retryAfter;
    }

    /// <summary>The answer's status.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The problem details (an empty one when the body was not a problem).</summary>
    public SpectralProblem Problem { get; }

    /// <summary>The route's name, e.g. <c>tasks.progress</c>.</summary>
    public string Route { get; }

    /// <summary>From <c>Retry-After</c>: the server asks for the same request again after this long.</summary>
    public TimeSpan? RetryAfter { get; }
}
