using System.Net;
using System.Text.Json;
using SpectralNotify.Storage;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Api;

/// <summary><c>/api/v1/config</c>: typed values checked on write, secrets never returned, admin only.</summary>
public sealed class ConfigApiTests
{
    private static Task<HttpResponseMessage> Put(HttpClient c, string key, string json) =>
        c.PutAsync($"/api/v1/config/{key}", HttpJson.Body(json));

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Typed_values_are_stored_canonically_and_replaced(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var admin = host.Client();
        var created = await (await Put(admin, "retry.max", """{"type":"integer","value":5,"description":"attempts"}""")).ExpectAsync(201);
        Assert.Equal((5, 1L, "admin"), (created.GetProperty("value").GetInt32(), created.GetProperty("version").GetInt64(), created.GetProperty("updatedBy").GetString()));
        var replaced = await (await Put(admin, "retry.max", """{"type":"integer","value":7}""")).ExpectAsync(200);
        Assert.Equal((7, 2L), (replaced.GetProperty("value").GetInt32(), replaced.GetProperty("version").GetInt64()));

        await (await Put(admin, "ratio", """{"type":"float","value":0.25}""")).ExpectAsync(201);
        await (await Put(admin, "enabled", """{"type":"boolean","value":true}""")).ExpectAsync(201);
        await (await Put(admin, "name", """{"type":"string","value":"spectral ü"}""")).ExpectAsync(201);
        await (await Put(admin, "limits", """{"type":"json","value":{"a":[1,2],"b":null}}""")).ExpectAsync(201);

        var list = await (await admin.GetAsync("/api/v1/config")).ExpectAsync(200);
        Assert.Equal(["enabled", "limits", "name", "ratio", "retry.max"],
            list.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("key").GetString()));
        var one = await (await admin.GetAsync("/api/v1/config/limits")).ExpectAsync(200);
        Assert.Equal("""{"a":[1,2],"b":null}""", one.GetProperty("value").GetRawText());
        Assert.Equal(0.25, (await (await admin.GetAsync("/api/v1/config/ratio")).ExpectAsync(200)).GetProperty("value").GetDouble());

        (await admin.DeleteAsync("/api/v1/config/ratio")).EnsureSuccessStatusCode();
        await (await admin.GetAsync("/api/v1/config/ratio")).ExpectAsync(404);
        await (await admin.DeleteAsync("/api/v1/config/ratio")).ExpectAsync(404);
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Secrets_are_usable_by_the_server_but_never_returned(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var admin = host.Client();
        var put = await Put(admin, "smtp.password", """{"type":"string","value":"hunter2","isSecret":true}""");
        var text = await put.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
        foreach (var path in new[] { "/api/v1/config/smtp.password", "/api/v1/config" })
        {
            var body = await (await admin.GetAsync(path)).Content.ReadAsStringAsync();
            Assert.DoesNotContain("hunter2", body, StringComparison.Ordinal);
        }
        var one = await (await admin.GetAsync("/api/v1/config/smtp.password")).ExpectAsync(200);
        Assert.Equal((JsonValueKind.Null, true), (one.GetProperty("value").ValueKind, one.GetProperty("isSecret").GetBoolean()));
        // The server reads secrets straight from the store.
        var stored = await host.Services.GetRequiredService<IStore>().ConfigGetAsync("smtp.password", default);
        Assert.Equal("\"hunter2\"", stored!.Value);
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Values_that_do_not_fit_their_type_are_400_and_write_nothing(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var admin = host.Client();
        var cases = new (string Key, string Body, string Field)[]
        {
            ("k", """{"type":"integer","value":1.5}""", "value"),
            ("k", """{"type":"integer","value":"5"}""", "value"),
            ("k", """{"type":"float","value":"x"}""", "value"),
            ("k", """{"type":"boolean","value":1}""", "value"),
            ("k", """{"type":"string","value":5}""", "value"),
            ("k", """{"type":"string"}""", "value"),
            ("k", """{"type":"date","value":"2026"}""", "type"),
            ("k", """{"value":"x"}""", "type"),
            ("bad key!", """{"type":"string","value":"x"}""", "key"),
            ("k", """{"type":"string","value":"\ud800"}""", "value"),
        };
        foreach (var (key, body, field) in cases)
        {
            var r = await Put(admin, Uri.EscapeDataString(key), body);
            var problem = await r.ExpectAsync(400);
            Assert.True(r.IsProblem(), body);
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{body} should name {field}: {problem}");
        }
        Assert.Empty((await (await admin.GetAsync("/api/v1/config")).ExpectAsync(200)).GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task Only_admin_keys_reach_configuration()
    {
        await using var host = await TestHost.StartAsync(Engine.Sqlite);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client(null).GetAsync("/api/v1/config")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Client(TestHost.WriteKey).GetAsync("/api/v1/config")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Put(host.Client(TestHost.WriteKey), "k", """{"type":"string","value":"x"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Client(TestHost.ReadKey).DeleteAsync("/api/v1/config/k")).StatusCode);
    }
}
