using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using SpectralNotify.Server.Api.V1;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Fuzz;

/// <summary>
/// Sends fuzz cases to one host and tallies the answers. A case fails (and CsCheck reports its seed)
/// on any 5xx, on a connection error (except an upload over the body limit, which Kestrel cuts after
/// its 413) and on no answer within <see cref="Patience"/>.
/// </summary>
public sealed class Fuzzer : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly TestHost _host;
    private readonly FuzzFixture _fixture;
    private readonly Dictionary<string, IReadOnlyList<KeyValuePair<string, string>>> _callers;
    private readonly HttpClient _http;
    private readonly HttpClient _fresh;
    private readonly ConcurrentDictionary<string, int> _statuses = new();
    private int _sent;
    private int _resent;

    private Fuzzer(TestHost host, FuzzFixture fixture, Dictionary<string, IReadOnlyList<KeyValuePair<string, string>>> callers)
    {
        _host = host;
        _fixture = fixture;
        _callers = callers;
        // UTF-8 header values, so non-ASCII Idempotency-Key and If-Match values reach the server instead of failing in the client.
        _http = NewClient(host, pooled: true);
        _fresh = NewClient(host, pooled: false);
    }

    private static HttpClient NewClient(TestHost host, bool pooled)
    {
        var handler = new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8, MaxConnectionsPerServer = 16 };
        if (!pooled)
        {
            handler.PooledConnectionLifetime = TimeSpan.Zero;
        }
        return new HttpClient(handler) { BaseAddress = host.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
    }

    public static async Task<Fuzzer> StartAsync(TestHost host, FuzzFixture fixture)
    {
        var callers = new Dictionary<string, IReadOnlyList<KeyValuePair<string, string>>>();
        foreach (var caller in Caller.All)
        {
            callers[caller.Name] = await caller.PrepareAsync(host);
        }
        return new Fuzzer(host, fixture, callers);
    }

    public int Sent => _sent;

    /// <summary>Requests sent a second time over a new connection after their pooled one was found closed.</summary>
    public int Resent => _resent;

    /// <summary>Answers by status ("101", "404", …), in ascending order.</summary>
    public IEnumerable<KeyValuePair<string, int>> Statuses => _statuses.OrderBy(kv => kv.Key, StringComparer.Ordinal);

    public async Task SendAsync(FuzzCase c)
    {
        var request = c.Render(_fixture, _callers[c.Caller.Name]);
        using var timeout = new CancellationTokenSource(Patience);
        Interlocked.Increment(ref _sent);
        var (status, body) = request.Framing == Framing.WebSocket
            ? await UpgradeAsync(request, timeout.Token)
            : await HttpAsync(request, timeout.Token);
        _statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
        if (status.StartsWith('5'))
        {
            throw new InvalidOperationException($"{status} for {c}: {(body.Length > 600 ? body[..600] + "…" : body)}");
        }
    }

    /// <summary>
    /// Sends over a pooled connection; when that connection turns out to be closed (the server may close
    /// an idle keep-alive connection while the client reuses it), once more over a new one, so only a
    /// request that breaks its own connection fails the case.
    /// </summary>
    private async Task<(string Status, string Body)> HttpAsync(RenderedRequest r, CancellationToken ct)
    {
        try
        {
            return await HttpAsync(_http, r, ct);
        }
        catch (HttpRequestException) when (r.Body is not { Length: > Limits.MaxBodyBytes })
        {
            Interlocked.Increment(ref _resent);
            return await HttpAsync(_fresh, r, ct);
        }
    }

    private static async Task<(string Status, string Body)> HttpAsync(HttpClient http, RenderedRequest r, CancellationToken ct)
    {
        using var message = new HttpRequestMessage(new HttpMethod(r.Method), r.PathAndQuery);
        if (r.Body is not null)
        {
            message.Content = new ByteArrayContent(r.Body);
            if (r.ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", r.ContentType);
            }
        }
        foreach (var (name, value) in r.Headers)
        {
            if (name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
            {
                message.Content ??= new ByteArrayContent([]);
                message.Content.Headers.TryAddWithoutValidation(name, value);
            }
            else
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (HttpRequestException) when (r.Body?.Length > Limits.MaxBodyBytes)
        {
            return ("connection closed after 413", "");
        }
        using (response)
        {
            // A live stream never ends: its status is the answer.
            var body = response.Content.Headers.ContentType?.MediaType == "text/event-stream" ? "" : await response.Content.ReadAsStringAsync(ct);
            return (((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture), body);
        }
    }

    private async Task<(string Status, string Body)> UpgradeAsync(RenderedRequest r, CancellationToken ct)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        // ClientWebSocket sends ASCII header values only; the HTTP cases cover the others.
        foreach (var (name, value) in r.Headers.Where(h => h.Value.All(char.IsAscii)))
        {
            socket.Options.SetRequestHeader(name, value);
        }
        try
        {
            await socket.ConnectAsync(new Uri($"ws://{_host.BaseAddress.Authority}{r.PathAndQuery}"), ct);
            socket.Abort();
            return ("101", "");
        }
        catch (WebSocketException) when (socket.HttpStatusCode != 0)
        {
            return (((int)socket.HttpStatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture), "");
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _fresh.Dispose();
    }
}
