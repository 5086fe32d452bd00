using System.Net;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Dashboard;

/// <summary>
/// <c>/ui</c> serves the dashboard built into the server: a browser at <c>/</c> lands on it, every page
/// URL answers the app, hashed assets are cached for a year, and every answer carries a strict
/// Content-Security-Policy (no inline script or style).
/// </summary>
public sealed class DashboardServingTests
{
    [Fact]
    public async Task A_browser_at_the_root_lands_on_the_dashboard_and_other_clients_keep_OK()
    {
        await using var host = await TestHost.StartAsync(Engine.Sqlite);
        using var http = NoRedirects(host);
        var ct = TestContext.Current.CancellationToken;

        using var browser = new HttpRequestMessage(HttpMethod.Get, "/");
        browser.Headers.Add("Accept", "text/html,application/xhtml+xml");
        var redirected = await http.SendAsync(browser, ct);
        Assert.Equal(HttpStatusCode.Redirect, redirected.StatusCode);
        Assert.Equal("/ui/", redirected.Headers.Location?.OriginalString);

        Assert.Equal("OK", await http.GetStringAsync("/", ct));
        var bare = await http.GetAsync("/ui", ct);
        Assert.Equal(HttpStatusCode.Redirect, bare.StatusCode);
        Assert.Equal("/ui/", bare.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Pages_answer_the_app_with_a_strict_policy_and_hashed_assets_are_immutable()
    {
        await using var host = await TestHost.StartAsync(Engine.Sqlite);
        using var http = NoRedirects(host);
        var ct = TestContext.Current.CancellationToken;

        var index = await http.GetAsync("/ui/", ct);
        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        var html = await index.Content.ReadAsStringAsync(ct);
        Assert.Contains("<div id=\"root\">", html, StringComparison.Ordinal);
        var policy = string.Join(";", index.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("style-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", policy, StringComparison.Ordinal);
        Assert.Equal("no-cache", index.Headers.CacheControl?.ToString());
        // No inline script: every script is a file the policy allows.
        Assert.DoesNotMatch(@"<script(?![^>]*\bsrc=)[^>]*>", html);

        var deepLink = await http.GetAsync("/ui/tasks/some-task?status=failed", ct);
        Assert.Equal(HttpStatusCode.OK, deepLink.StatusCode);
        Assert.Equal(html, await deepLink.Content.ReadAsStringAsync(ct));

        var script = System.Text.RegularExpressions.Regex.Match(html, "src=\"/ui/(assets/[^\"]+\\.js)\"").Groups[1].Value;
        Assert.NotEmpty(script);
        var asset = await http.GetAsync("/ui/" + script, ct);
        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        Assert.Equal("text/javascript", asset.Content.Headers.ContentType?.MediaType);
        Assert.Equal("public, max-age=31536000, immutable", asset.Headers.CacheControl?.ToString());

        var missing = await http.GetAsync("/ui/assets/missing-0000.js", ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        var config = await (await http.GetAsync("/ui/config.json", ct)).ExpectAsync(200);
        Assert.Equal("None", config.GetProperty("anonymousReads").GetString());
        Assert.Equal(900, config.GetProperty("sessionSeconds").GetInt32());
    }

    [Fact]
    public async Task Dashboard_Enabled_false_serves_no_dashboard()
    {
        await using var host = await TestHost.StartAsync(Engine.Sqlite, new Dictionary<string, string?> { ["Dashboard:Enabled"] = "false" });
        using var http = NoRedirects(host);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/ui/", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync("/ui/api/session", HttpJson.Body("{}"), TestContext.Current.CancellationToken)).StatusCode);
    }

    internal static HttpClient NoRedirects(TestHost host) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
}
