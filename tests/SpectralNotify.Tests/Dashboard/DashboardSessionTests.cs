using System.Net;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Dashboard;

/// <summary>
/// Sign-in exchanges an API key for an HttpOnly, SameSite=Strict cookie: it then authenticates the
/// API and live endpoints for same-origin requests only, with the key's scopes as they are now; it is
/// never accepted as a bearer token; renewal and sign-out work; revoking the key ends the session.
/// </summary>
public sealed class DashboardSessionTests
{
    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_signed_in_cookie_works_same_origin_only_with_the_keys_scopes_until_the_key_is_revoked(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var ct = TestContext.Current.CancellationToken;
        var (keyId, secret) = await host.Client().CreateKeyAsync("dashboard-reader", """["read"]""");
        using var http = DashboardServingTests.NoRedirects(host);

        var signIn = await http.PostAsync("/ui/api/session", HttpJson.Body($$"""{"apiKey":"{{secret}}"}"""), ct);
        var session = await signIn.ExpectAsync(200);
        Assert.Equal("dashboard-reader", session.GetProperty("keyName").GetString());
        Assert.Equal(["read"], session.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        var setCookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("spectral_session=", setCookie, StringComparison.Ordinal);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(secret, setCookie, StringComparison.Ordinal);
        var cookie = setCookie.Split(';')[0];
        var token = cookie["spectral_session=".Length..];

        await host.Client().CreateTaskAsync("visible");
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(http, HttpMethod.Get, "/api/v1/tasks/visible", cookie, "same-origin", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(http, HttpMethod.Get, "/api/v1/tasks/visible", cookie, null, ct)).StatusCode);
        // Another site's page cannot ride the cookie, even if a browser sent it.
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(http, HttpMethod.Get, "/api/v1/tasks/visible", cookie, "cross-site", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(http, HttpMethod.Get, "/api/v1/tasks/visible", cookie, "same-site", ct)).StatusCode);
        // A read key's session reads and nothing more: the server enforces it, whatever the page offers.
        var write = await SendAsync(http, HttpMethod.Post, "/api/v1/tasks/visible/cancel", cookie, "same-origin", ct, "{}");
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        // The session token is not a bearer token.
        using var bearer = new HttpRequestMessage(HttpMethod.Get, "/api/v1/tasks/visible");
        bearer.Headers.Authorization = new("Bearer", token);
        var refused = await http.SendAsync(bearer, ct);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("cookie", await refused.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);

        var current = await (await SendAsync(http, HttpMethod.Get, "/ui/api/session", cookie, "same-origin", ct)).ExpectAsync(200);
        Assert.Equal("dashboard-reader", current.GetProperty("keyName").GetString());
        var renewed = await SendAsync(http, HttpMethod.Post, "/ui/api/session/refresh", cookie, "same-origin", ct);
        await renewed.ExpectAsync(200);
        var renewedCookie = Assert.Single(renewed.Headers.GetValues("Set-Cookie")).Split(';')[0];
        Assert.NotEqual(cookie, renewedCookie);

        await (await host.Client().DeleteAsync($"/api/v1/keys/{keyId}", ct)).ExpectAsync(204);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(http, HttpMethod.Get, "/api/v1/tasks/visible", renewedCookie, "same-origin", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(http, HttpMethod.Get, "/ui/api/session", renewedCookie, "same-origin", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(http, HttpMethod.Post, "/ui/api/session/refresh", renewedCookie, "same-origin", ct)).StatusCode);
    }

    [Fact]
    public async Task Sign_in_refuses_a_wrong_or_missing_key_and_sign_out_clears_the_cookie()
    {
        await using var host = await TestHost.StartAsync(Engine.Sqlite);
        var ct = TestContext.Current.CancellationToken;
        using var http = DashboardServingTests.NoRedirects(host);

        var wrong = await http.PostAsync("/ui/api/session", HttpJson.Body("""{"apiKey":"not-a-key-not-a-key-not-a-key"}"""), ct);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.True(wrong.IsProblem());
        Assert.False(wrong.Headers.Contains("Set-Cookie"));
        var missing = await http.PostAsync("/ui/api/session", HttpJson.Body("{}"), ct);
        var problem = await missing.ExpectAsync(400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("apiKey", out _));
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/ui/api/session", ct)).StatusCode);

        var signIn = await http.PostAsync("/ui/api/session", HttpJson.Body($$"""{"apiKey":"{{TestHost.AdminKey}}"}"""), ct);
        await signIn.ExpectAsync(200);
        var cookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie")).Split(';')[0];
        var signOut = await SendAsync(http, HttpMethod.Delete, "/ui/api/session", cookie, "same-origin", ct);
        Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
        var cleared = Assert.Single(signOut.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("spectral_session=;", cleared, StringComparison.Ordinal);
        Assert.Contains("expires=Thu, 01 Jan 1970", cleared, StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, string cookie, string? fetchSite, CancellationToken ct, string? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Cookie", cookie);
        if (fetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }
        if (body is not null)
        {
            request.Content = HttpJson.Body(body);
        }
        return await http.SendAsync(request, ct);
    }
}
