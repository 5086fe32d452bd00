using System.Reflection;
using System.Text.Json;
using SpectralNotify.Client;
using SpectralNotify.Client.Internal;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Client;

/// <summary>
/// The .NET client builds every REST call from <see cref="ApiRoutes"/>. The table and the OpenAPI
/// document of a real server must name the same /api/v1 operations, and every route must have a
/// method of a resource class that calls it, so a route added, renamed or removed on either side fails
/// here, naming what is missing where (as JsClientRoutesTests does for the JS SDK).
/// </summary>
[Collection(ClientServersCollection.Name)]
public sealed class ClientRoutesTests(ClientServers servers)
{
    [Fact]
    public async Task Every_v1_operation_has_a_client_route_and_every_client_route_is_served()
    {
        var server = await servers.ServerAsync(Engine.Sqlite);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        using var response = await http.GetAsync("/openapi/v1.json", TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var served = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in doc.RootElement.GetProperty("paths").EnumerateObject())
        {
            if (!path.Name.StartsWith("/api/v1/", StringComparison.Ordinal))
            {
                continue;
            }
            foreach (var method in path.Value.EnumerateObject())
            {
                served.Add($"{method.Name.ToUpperInvariant()} {path.Name}");
            }
        }
        var client = ApiRoutes.All.Values.Select(r => r.ToString()).ToHashSet(StringComparer.Ordinal);

        var notServed = client.Except(served).Order(StringComparer.Ordinal).ToList();
        var notCalled = served.Except(client).Order(StringComparer.Ordinal).ToList();
        Assert.True(notServed.Count == 0 && notCalled.Count == 0,
            $"In ApiRoutes but not in /openapi/v1.json: [{string.Join(", ", notServed)}]; in /openapi/v1.json but not in ApiRoutes: [{string.Join(", ", notCalled)}]");
    }

    [Fact]
    public void Every_route_has_a_resource_method_and_every_method_names_a_route_of_the_table()
    {
        var methods = typeof(SpectralClient).Assembly.GetTypes()
            .Where(t => t.Namespace == "SpectralNotify.Client.Resources")
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .SelectMany(m => m.GetCustomAttributes<ApiRouteNameAttribute>().Select(a => (Method: $"{m.DeclaringType!.Name}.{m.Name}", Route: a.Name)))
            .ToList();
        var named = methods.Select(m => m.Route).ToHashSet(StringComparer.Ordinal);

        var withoutMethod = ApiRoutes.All.Keys.Where(k => !named.Contains(k)).Order(StringComparer.Ordinal).ToList();
        var unknown = methods.Where(m => !ApiRoutes.All.ContainsKey(m.Route)).Select(m => $"{m.Method} → {m.Route}").ToList();
        Assert.True(withoutMethod.Count == 0 && unknown.Count == 0,
            $"Routes without a method: [{string.Join(", ", withoutMethod)}]; methods naming no route: [{string.Join(", ", unknown)}]");
    }

    [Fact]
    public void Path_fills_the_template_in_order_and_escapes_each_value()
    {
        Assert.Equal("/api/v1/tasks/a%2Fb%20c/tools/x/complete", ApiRoutes.ToolsComplete.Path("a/b c", "x"));
        Assert.Throws<ArgumentException>(() => ApiRoutes.ToolsComplete.Path("only-one"));
        Assert.Throws<ArgumentException>(() => ApiRoutes.TasksList.Path("extra"));
    }
}
