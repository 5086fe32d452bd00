using SpectralNotify.Tests.Infrastructure;
using static SpectralNotify.Tests.Api.ApiAssert;

namespace SpectralNotify.Tests.MultiNode;

/// <summary>Database API keys across two servers on one PostgreSQL database: no node keeps a stale copy.</summary>
public sealed class KeyRevocationTests
{
    [Fact]
    public async Task A_key_created_on_one_node_works_on_the_other_and_a_revocation_holds_there_at_the_next_request()
    {
        await using var db = await TestDatabase.CreateAsync(Engine.Postgres);
        await using var a = await TestHost.StartAsync(Engine.Postgres, db: db);
        await using var b = await TestHost.StartAsync(Engine.Postgres, db: db);
        var (id, secret) = await a.Client().CreateKeyAsync("roaming", """["write"]""");

        var onB = b.Client(secret);
        await onB.CreateTaskAsync("via-b");
        await a.Client(secret).CreateTaskAsync("via-a");

        await (await a.Client().DeleteAsync($"/api/v1/keys/{id}")).ExpectAsync(204);
        await ProblemAsync(await onB.PostJsonAsync(TasksPath, """{"id":"after"}"""), 401, "API key");
        await ProblemAsync(await a.Client(secret).PostJsonAsync(TasksPath, """{"id":"after"}"""), 401, "API key");
        // Node B lists what node A revoked.
        var listed = (await (await b.Client().GetAsync("/api/v1/keys")).ExpectAsync(200)).GetProperty("data").EnumerateArray()
            .Single(k => k.GetProperty("id").GetString() == id);
        Assert.Matches(WireTime(), listed.GetProperty("revokedAt").GetString()!);
    }
}
