namespace SpectralNotify.Client.Internal;

/// <summary>Calls by <see cref="ApiRoute"/>: the route gives the method and the name errors carry.</summary>
internal static class RouteCalls
{
    /// <summary>Sends and reads the JSON answer, which must be there.</summary>
    public static async Task<T> CallAsync<T>(this SpectralHttp http, ApiRoute route, string path, object? body, RequestOptions? call, CancellationToken ct)
    {
        var answer = await http.SendAsync<T>(route.Name, route.Method, path, body, call, ct).ConfigureAwait(false);
        return answer ?? throw new SpectralNetworkException(route.Name, new InvalidDataException("The server answered without the expected JSON body."));
    }

    /// <summary>Sends and discards the answer's body.</summary>
    public static Task CallAsync(this SpectralHttp http, ApiRoute route, string path, object? body, RequestOptions? call, CancellationToken ct) =>
        http.SendAsync(route.Name, route.Method, path, body, call, ct);

    /// <summary>The options with the automatic key turned off (routes whose answer holds a secret).</summary>
    public static RequestOptions WithoutAutomaticKey(this RequestOptions? call) =>
        (call ?? new RequestOptions()) with { NoAutomaticKey = true };
}
