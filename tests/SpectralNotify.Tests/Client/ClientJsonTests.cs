using System.Text.Json;
using SpectralNotify.Client;
using SpectralNotify.Client.Models;

namespace SpectralNotify.Tests.Client;

/// <summary>The client writes models back out as the server wrote them (the CLI's <c>-o json</c> relies on it).</summary>
public sealed class ClientJsonTests
{
    [Fact]
    public void Times_round_trip_in_the_servers_form()
    {
        const string wire = """{"id":"t","status":"in-progress","progress":5,"metadata":{},"config":{},"createdAt":"2026-12-02T01:56:42.123Z","updatedAt":"2026-12-02T03:56:42.5+02:00","lastSeq":1,"version":1}""";
        var task = JsonSerializer.Deserialize<SpectralTask>(wire, SpectralJson.Options)!;
        var written = JsonSerializer.Serialize(task, SpectralJson.Options);
        Assert.Contains("\"createdAt\":\"2026-12-02T01:56:42.123Z\"", written, StringComparison.Ordinal);
        Assert.Contains("\"updatedAt\":\"2026-12-02T01:56:42.500Z\"", written, StringComparison.Ordinal);
        Assert.DoesNotContain("\"startedAt\"", written, StringComparison.Ordinal);
    }
}
