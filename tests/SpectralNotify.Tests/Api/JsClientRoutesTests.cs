using System.Text.Json;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Api;

/// <summary>
/// The JS SDK builds every REST call from one table (clients/js/packages/client/src/routes.json).
/// The table and the server's OpenAPI document must name the same /api/v1 routes, so a route added,
/// renamed or removed on either side fails here, naming what is missing where.
/// </summary>
public sealed class JsClientRoutesTests
{
    private const string RoutesFile = "clients/js/packages/client/src/routes.json";

    [Fact]
    public async Task Every_route_of_the_js_client_is_in_the_openapi_document_and_every_v1_route_is_in_the_client()
    {
        using var table = JsonDocument.Parse(await File.ReadAllTextAsync(RepoFiles.Find(RoutesFile), TestContext.Current.CancellationToken));
        var client = table.RootElement.GetProperty("rest").EnumerateObject()
            .Select(p => p.Value.GetString()!)
            .ToHashSet(StringComparer.Ordinal);
        // The live WebSocket is reached by an upgrade, not by a REST call: not part of the comparison.
        var sockets = table.RootElement.GetProperty("websocket").EnumerateObject()
            .Select(p => p.Value.GetString()!)
            .ToHashSet(StringComparer.Ordinal);

        await using var host = await TestHost.StartAsync(Engine.Sqlite);
        var doc = await (await host.Client(null).GetAsync("/openapi/v1.json", TestContext.Current.CancellationToken)).ExpectAsync(200);
        var server = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in doc.GetProperty("paths").EnumerateObject())
        {
            if (!path.Name.StartsWith("/api/v1/", StringComparison.Ordinal) || sockets.Contains(path.Name))
            {
                continue;
            }
            foreach (var method in path.Value.EnumerateObject())
            {
                server.Add($"{method.Name.ToUpperInvariant()} {path.Name}");
            }
        }

        var notServed = client.Except(server).Order(StringComparer.Ordinal).ToList();
        var notCalled = server.Except(client).Order(StringComparer.Ordinal).ToList();
        Assert.True(notServed.Count == 0 && notCalled.Count == 0,
            $"In {RoutesFile} but not in /openapi/v1.json: [{string.Join(", ", notServed)}]; " +
            $"in /openapi/v1.json but not in {RoutesFile}: [{string.Join(", ", notCalled)}]");
    }
}
