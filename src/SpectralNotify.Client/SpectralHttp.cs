using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace SpectralNotify.Client;

/// <summary>
/// One REST exchange: credentials, automatic Idempotency-Key on POST, problem details thrown as
/// <see cref="SpectralApiException"/>, an incomplete answer as <see cref="SpectralNetworkException"/>.
/// Retries of transient failures happen below, in the resilience handler of the named HttpClient.
/// </summary>
internal sealed class SpectralHttp(Func<HttpClient> clients, SpectralClientOptions options, Func<HttpClient>? longPollClients = null)
{
    private SpectralHttp? longPoll;

    public SpectralClientOptions Options { get; } = options;

    /// <summary>
    /// The same exchange over the long-poll HttpClient, whose attempt timeout outlasts a claim's wait
    /// and a stream (the standard handler's 10 s would cut them); this one when none was given.
    /// </summary>
    public SpectralHttp LongPoll => longPollClients is null ? this : longPoll ??= new SpectralHttp(longPollClients, Options);

    /// <summary>Sends and reads the JSON answer (default for 204).</summary>
    public async Task<T?> SendAsync<T>(string route, HttpMethod method, string path, object? body = null, RequestOptions? call = null, CancellationToken ct = default)
    {
        using var response = await ExchangeAsync(route, method, path, body, call, ct).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NoContent || response.Content.Headers.ContentLength == 0)
        {
            return default;
        }
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(SpectralJson.Options, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (IsNetwork(e, ct))
        {
            throw new SpectralNetworkException(route, e);
        }
    }

    /// <summary>Sends and discards the answer's body.</summary>
    public async Task SendAsync(string route, HttpMethod method, string path, object? body = null, RequestOptions? call = null, CancellationToken ct = default)
    {
        using var response = await ExchangeAsync(route, method, path, body, call, ct).ConfigureAwait(false);
    }

    /// <summary>The exchange; a 401 with a token provider is retried once with a fresh token.</summary>
    public Task<HttpResponseMessage> ExchangeAsync(string route, HttpMethod method, string path, object? body, RequestOptions? call, CancellationToken ct) =>
        ExchangeAsync(route, method, path, body, call, HttpCompletionOption.ResponseContentRead, ct);

    /// <summary>The exchange; with <see cref="HttpCompletionOption.ResponseHeadersRead"/> the caller reads (and disposes) a streamed body.</summary>
    public async Task<HttpResponseMessage> ExchangeAsync(string route, HttpMethod method, string path, object? body, RequestOptions? call,
        HttpCompletionOption completion, CancellationToken ct)
    {
        var key = call?.IdempotencyKey;
        if (key is null && method == HttpMethod.Post && Options.AutomaticIdempotencyKeys && call?.NoAutomaticKey != true)
        {
            key = Guid.NewGuid().ToString("N");
        }
        var response = await SendOnceAsync(route, method, path, body, call, key, completion, ct).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Unauthorized && Options.ApiKey is null && Options.AccessTokenProvider is not null)
        {
            response.Dispose();
            response = await SendOnceAsync(route, method, path, body, call, key, completion, ct).ConfigureAwait(false);
        }
        if (response.IsSuccessStatusCode)
        {
            return response;
        }
        using (response)
        {
            throw await FailureAsync(route, response, ct).ConfigureAwait(false);
        }
    }

    private async Task<HttpResponseMessage> SendOnceAsync(string route, HttpMethod method, string path, object? body, RequestOptions? call, string? key,
        HttpCompletionOption completion, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: SpectralJson.Options);
        }
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        }
        if (call?.IfMatch is { } version)
        {
            request.Headers.TryAddWithoutValidation("If-Match", version.StartsWith('"') ? version : $"\"{version}\"");
        }
        await AuthorizeAsync(request.Headers, ct).ConfigureAwait(false);
        try
        {
            return await clients().SendAsync(request, completion, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (IsNetwork(e, ct))
        {
            throw new SpectralNetworkException(route, e);
        }
    }

    /// <summary>Adds the key or a fresh token.</summary>
    public async ValueTask AuthorizeAsync(HttpRequestHeaders headers, CancellationToken ct)
    {
        if (Options.ApiKey is { } apiKey)
        {
            headers.TryAddWithoutValidation("X-API-Key", apiKey);
        }
        else if (Options.AccessTokenProvider is { } provider && await provider(ct).ConfigureAwait(false) is { Length: > 0 } token)
        {
            headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    private static async Task<SpectralApiException> FailureAsync(string route, HttpResponseMessage response, CancellationToken ct)
    {
        SpectralProblem problem;
        try
        {
            var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            problem = TryParse(text) ?? new SpectralProblem { Status = (int)response.StatusCode, Detail = text.Length > 0 ? text : null };
        }
        catch (Exception e) when (IsNetwork(e, ct))
        {
            problem = new SpectralProblem { Status = (int)response.StatusCode };
        }
        return new SpectralApiException(response.StatusCode, problem, route, RetryAfterOf(response));
    }

    private static SpectralProblem? TryParse(string text)
    {
        if (text.Length == 0 || text[0] != '{')
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<SpectralProblem>(text, SpectralJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary><c>Retry-After</c> as delay-seconds or an HTTP date (RFC 9110 §10.2.3).</summary>
    internal static TimeSpan? RetryAfterOf(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }
        if (header?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }
        return response.Headers.TryGetValues("Retry-After", out var raw)
            && int.TryParse(raw.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : null;
    }

    /// <summary>Transport failures, timeouts and an open circuit (Polly rejections), not the caller's own cancellation.</summary>
    private static bool IsNetwork(Exception e, CancellationToken ct) =>
        e is HttpRequestException or IOException or Polly.ExecutionRejectedException || (e is OperationCanceledException && !ct.IsCancellationRequested);
}
