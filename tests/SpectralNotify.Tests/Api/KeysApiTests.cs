using System.Net;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using SpectralNotify.Keys;
using SpectralNotify.Server.Auth;
using SpectralNotify.Tests.Infrastructure;
using static SpectralNotify.Tests.Api.ApiAssert;

namespace SpectralNotify.Tests.Api;

/// <summary><c>/api/v1/keys</c>: keys kept in the database, and how they authenticate.</summary>
public sealed class KeysApiTests
{
    private const string KeysPath = "/api/v1/keys";

    private static async Task<List<JsonElement>> ListAsync(HttpClient admin) =>
        (await (await admin.GetAsync(KeysPath)).ExpectAsync(200)).GetProperty("data").EnumerateArray().ToList();

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_created_key_authenticates_with_exactly_its_scopes(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var admin = host.Client();
        var response = await admin.PostJsonAsync(KeysPath, """{"name":"deployer","scopes":["write"]}""");
        var created = await response.ExpectAsync(201);
        var id = created.GetProperty("id").GetString()!;
        var secret = created.GetProperty("key").GetString()!;
        Assert.StartsWith("key_", id, StringComparison.Ordinal);
        Assert.StartsWith(ApiKeySecrets.SecretPrefix, secret, StringComparison.Ordinal);
        Assert.True(secret.Length >= 24, secret);
        Assert.Equal($"{KeysPath}/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal(["write"], created.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal("deployer", created.GetProperty("name").GetString());
        Assert.Matches(WireTime(), created.GetProperty("createdAt").GetString()!);
        Assert.Equal((JsonValueKind.Null, JsonValueKind.Null), (created.GetProperty("expiresAt").ValueKind, created.GetProperty("lastUsedAt").ValueKind));

        var deployer = host.Client(secret);
        var task = await deployer.CreateTaskAsync("by-key");
        Assert.Equal("deployer", task.GetProperty("createdBy").GetString());
        await (await deployer.GetAsync($"{TasksPath}/by-key")).ExpectAsync(200);
        await ProblemAsync(await deployer.GetAsync("/api/v1/sessions"), 403, "scope");
        await ProblemAsync(await deployer.GetAsync(KeysPath), 403, "scope");

        // Bearer works as for configured keys; an admin key made here may manage keys in turn.
        using var bearer = new HttpClient { BaseAddress = host.BaseAddress };
        bearer.DefaultRequestHeaders.Authorization = new("Bearer", secret);
        await (await bearer.GetAsync($"{TasksPath}/by-key")).ExpectAsync(200);
        var (_, adminSecret) = await admin.CreateKeyAsync("second admin", """["admin"]""");
        await host.Client(adminSecret).CreateKeyAsync("made by a stored admin", """["read"]""");
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task The_list_shows_configured_and_database_keys_but_no_secret_or_hash(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var admin = host.Client();
        var (id, secret) = await admin.CreateKeyAsync("ci", """["read","admin","read"]""", ""","ttlSeconds":3600""");

        var text = await (await admin.GetAsync(KeysPath)).Content.ReadAsStringAsync();
        Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKeySecrets.Hash(secret), text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(TestHost.AdminKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKeySecrets.Hash(TestHost.AdminKey), text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("\"key\"", text, StringComparison.Ordinal);

        var keys = await ListAsync(admin);
        Assert.Equal(
            [("admin", "config", ApiKeySecrets.ConfiguredId(ApiKeySecrets.Hash(TestHost.AdminKey))),
             ("reader", "config", ApiKeySecrets.ConfiguredId(ApiKeySecrets.Hash(TestHost.ReadKey))),
             ("writer", "config", ApiKeySecrets.ConfiguredId(ApiKeySecrets.Hash(TestHost.WriteKey))),
             ("ci", "database", id)],
            keys.Select(k => (k.GetProperty("name").GetString(), k.GetProperty("source").GetString(), k.GetProperty("id").GetString())));
        var stored = keys[^1];
        Assert.Equal(["admin", "read"], stored.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        var createdAt = DateTimeOffset.Parse(stored.GetProperty("createdAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var expiresAt = DateTimeOffset.Parse(stored.GetProperty("expiresAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expiresAt - createdAt, TimeSpan.FromSeconds(3599), TimeSpan.FromSeconds(3601));
        Assert.Equal(JsonValueKind.Null, keys[0].GetProperty("createdAt").ValueKind);
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_revoked_key_fails_on_the_next_request(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var admin = host.Client();
        var (id, secret) = await admin.CreateKeyAsync("short-lived", """["write"]""");
        var user = host.Client(secret);
        await user.CreateTaskAsync("before");

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"{KeysPath}/{id}")).StatusCode);
        await ProblemAsync(await user.PostJsonAsync(TasksPath, """{"id":"after"}"""), 401, "API key");
        await ProblemAsync(await host.Client(null).GetAsync($"{TasksPath}?apiKey={Uri.EscapeDataString(secret)}"), 401, "API key");
        // Revoking again changes nothing; the list shows when.
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"{KeysPath}/{id}")).StatusCode);
        Assert.Matches(WireTime(), (await ListAsync(admin)).Single(k => k.GetProperty("id").GetString() == id).GetProperty("revokedAt").GetString()!);

        var missing = await ProblemAsync(await admin.DeleteAsync($"{KeysPath}/key_000000000000000000000000"), 404, "key_000000000000000000000000");
        Assert.Equal("key_000000000000000000000000", missing.GetProperty("keyId").GetString());
        var writerId = ApiKeySecrets.ConfiguredId(ApiKeySecrets.Hash(TestHost.WriteKey));
        await ProblemAsync(await admin.DeleteAsync($"{KeysPath}/{writerId}"), 409, "configuration");
        await host.Client(TestHost.WriteKey).CreateTaskAsync("writer-still-works");
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task An_expired_key_is_refused(Engine engine)
    {
        var time = new ManualTime(DateTimeOffset.UtcNow);
        await using var host = await TestHost.StartAsync(engine, time: time);
        var admin = host.Client();
        var (_, byTtl) = await admin.CreateKeyAsync("ttl", """["admin"]""", ""","ttlSeconds":60""");
        var at = Clock.ToWire(time.GetUtcNow().AddMinutes(2));
        var (_, byTime) = await admin.CreateKeyAsync("at", """["admin"]""", $$""","expiresAt":"{{at}}" """);

        await (await host.Client(byTtl).GetAsync(KeysPath)).ExpectAsync(200);
        time.Advance(TimeSpan.FromSeconds(60));
        await ProblemAsync(await host.Client(byTtl).GetAsync(KeysPath), 401, "API key");
        await (await host.Client(byTime).GetAsync(KeysPath)).ExpectAsync(200);
        time.Advance(TimeSpan.FromSeconds(60));
        await ProblemAsync(await host.Client(byTime).GetAsync(KeysPath), 401, "API key");
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_name_taken_by_a_configured_or_database_key_conflicts(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var admin = host.Client();
        await admin.CreateKeyAsync("ops", """["read"]""");
        foreach (var name in new[] { "ops", "writer", "admin" })
        {
            var problem = await ProblemAsync(await admin.PostJsonAsync(KeysPath, $$"""{"name":"{{name}}","scopes":["read"]}"""), 409, name);
            Assert.Equal(name, problem.GetProperty("name").GetString());
        }
        Assert.Single(await ListAsync(admin), k => k.GetProperty("source").GetString() == "database");
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Only_admin_keys_may_use_the_key_routes(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var (id, _) = await host.Client().CreateKeyAsync("target", """["read"]""");
        var (_, storedWriter) = await host.Client().CreateKeyAsync("stored writer", """["write"]""");
        foreach (var (key, status) in new[] { (TestHost.ReadKey, 403), (TestHost.WriteKey, 403), (storedWriter, 403), ((string?)null, 401) })
        {
            var client = host.Client(key);
            await ProblemAsync(await client.GetAsync(KeysPath), status);
            await ProblemAsync(await client.PostJsonAsync(KeysPath, """{"name":"sneaky","scopes":["admin"]}"""), status);
            await ProblemAsync(await client.DeleteAsync($"{KeysPath}/{id}"), status);
        }
        Assert.Equal(["target", "stored writer"], (await ListAsync(host.Client())).Where(k => k.GetProperty("source").GetString() == "database")
            .Select(k => k.GetProperty("name").GetString()));
        Assert.All(await ListAsync(host.Client()), k => Assert.Equal(JsonValueKind.Null, k.GetProperty("revokedAt").ValueKind));
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Bad_requests_name_the_field_and_create_nothing(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var admin = host.Client();
        var cases = new (string Body, string Field)[]
        {
            ("""{"scopes":["read"]}""", "name"),
            ("""{"name":"  ","scopes":["read"]}""", "name"),
            ($$"""{"name":"{{new string('n', 101)}}","scopes":["read"]}""", "name"),
            ("""{"name":"tab\tname","scopes":["read"]}""", "name"),
            ("""{"name":"x"}""", "scopes"),
            ("""{"name":"x","scopes":[]}""", "scopes"),
            ("""{"name":"x","scopes":["root"]}""", "scopes"),
            ("""{"name":"x","scopes":[null]}""", "scopes"),
            ("""{"name":"x","scopes":["read"],"ttlSeconds":0}""", "ttlSeconds"),
            ("""{"name":"x","scopes":["read"],"ttlSeconds":60,"expiresAt":"2099-01-01T00:00:00Z"}""", "ttlSeconds"),
            ("""{"name":"x","scopes":["read"],"expiresAt":"2001-01-01T00:00:00Z"}""", "expiresAt"),
            ("""{"name":"x","scopes":["read"],"expiresAt":"soon"}""", "expiresAt"),
            ("""{"name":"x","scopes":"read"}""", "scopes"),
        };
        foreach (var (body, field) in cases)
        {
            await ProblemAsync(await admin.PostJsonAsync(KeysPath, body), 400, field);
        }
        // The answer holds a secret, which an idempotency record would store and replay.
        await ProblemAsync(await admin.PostJsonAsync(KeysPath, """{"name":"x","scopes":["read"]}""", idempotencyKey: "k1"), 400, "Idempotency-Key");
        Assert.DoesNotContain(await ListAsync(admin), k => k.GetProperty("source").GetString() == "database");
        await admin.CreateKeyAsync(new string('n', 100), """["read"]""");
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Use_is_recorded_in_the_background_at_most_once_a_minute(Engine engine)
    {
        var time = new ManualTime(new DateTimeOffset(2026, 9, 1, 10, 0, 0, TimeSpan.Zero));
        await using var host = await TestHost.StartAsync(engine, time: time);
        var admin = host.Client();
        var usage = host.Services.GetRequiredService<ApiKeyUsage>();
        var (id, secret) = await admin.CreateKeyAsync("busy", """["read"]""");
        await admin.CreateTaskAsync("t");
        var before = usage.Queued;

        var user = host.Client(secret);
        for (var i = 0; i < 3; i++)
        {
            await (await user.GetAsync($"{TasksPath}/t")).ExpectAsync(200);
            time.Advance(TimeSpan.FromSeconds(20));
        }
        Assert.Equal(before + 1, usage.Queued);
        await Eventually.TrueAsync(async () => await LastUsedAsync() == "2026-09-01T10:00:00.000Z", "the first use is recorded");

        time.Advance(TimeSpan.FromSeconds(1));
        await (await user.GetAsync($"{TasksPath}/t")).ExpectAsync(200);
        Assert.Equal(before + 2, usage.Queued);
        await Eventually.TrueAsync(async () => await LastUsedAsync() == "2026-09-01T10:01:01.000Z", "a use a minute later is recorded");

        async Task<string?> LastUsedAsync() =>
            (await ListAsync(admin)).Single(k => k.GetProperty("id").GetString() == id).GetProperty("lastUsedAt").GetString();
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task The_principal_carries_the_key_id(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var (id, secret) = await host.Client().CreateKeyAsync("claims", """["write"]""");

        Assert.Equal((id, "claims", "write read"), await ClaimsAsync(secret));
        Assert.Equal((ApiKeySecrets.ConfiguredId(ApiKeySecrets.Hash(TestHost.ReadKey)), "reader", "read"), await ClaimsAsync(TestHost.ReadKey));
        Assert.Matches("^cfg_[0-9a-f]{16}$", (await ClaimsAsync(TestHost.AdminKey)).Id);
        foreach (var blank in new[] { "", " ", "   \t " })
        {
            Assert.False((await AuthenticateAsync(blank)).Succeeded);
        }

        async Task<(string? Id, string? Name, string Scopes)> ClaimsAsync(string key)
        {
            var result = await AuthenticateAsync(key);
            Assert.True(result.Succeeded, result.Failure?.Message);
            var user = result.Principal!;
            return (user.FindFirstValue(CallerClaims.KeyIdClaimType), user.Identity?.Name, string.Join(' ', user.FindAll(Scopes.ClaimType).Select(c => c.Value)));
        }

        async Task<AuthenticateResult> AuthenticateAsync(string key)
        {
            using var scope = host.Services.CreateScope();
            var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
            http.Request.Headers["X-API-Key"] = key;
            return await http.AuthenticateAsync(ApiKeyAuthenticationHandler.SchemeName);
        }
    }
}
