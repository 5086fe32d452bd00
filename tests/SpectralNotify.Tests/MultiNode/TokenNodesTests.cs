using SpectralNotify.Server.Auth.Tokens;
using SpectralNotify.Tests.Infrastructure;
using static SpectralNotify.Tests.Api.ApiAssert;
using static SpectralNotify.Tests.Infrastructure.TokenClients;

namespace SpectralNotify.Tests.MultiNode;

/// <summary>
/// Tokens across two servers on one PostgreSQL database: signing keys are shared through the database,
/// so a token minted on one node is accepted on the other, through rotations and until its key is revoked.
/// Node B runs on a clock the test moves, to step past its key cache's guards without sleeping.
/// </summary>
public sealed class TokenNodesTests
{
    [Fact]
    public async Task A_token_minted_on_one_node_is_accepted_on_another_that_has_never_seen_its_signing_key()
    {
        var timeB = new ManualTime(DateTimeOffset.UtcNow);
        await using var db = await TestDatabase.CreateAsync(Engine.Postgres);
        await using var a = await TestHost.StartAsync(Engine.Postgres, db: db);
        await using var b = await TestHost.StartAsync(Engine.Postgres, db: db, time: timeB);
        var writerA = a.Client(TestHost.WriteKey);
        await writerA.CreateTaskAsync("t");

        // B loads the signing keys there are now; then A signs with a key B has not loaded.
        var first = await MintAsync(writerA, """["read:tasks:t"]""");
        await (await Bearer(b, first).GetAsync($"{TasksPath}/t")).ExpectAsync(200);
        await (await a.Client().PostJsonAsync("/api/v1/tokens/rotate", "")).ExpectAsync(200);
        var second = await MintAsync(writerA, """["read:tasks:t"]""");
        Assert.NotEqual(Kid(first), Kid(second));

        // Within B's refresh window, past the one second that guards against reloading for every forged kid.
        timeB.Advance(TimeSpan.FromSeconds(2));
        await (await Bearer(b, second).GetAsync($"{TasksPath}/t")).ExpectAsync(200);
        await (await Bearer(b, first).GetAsync($"{TasksPath}/t")).ExpectAsync(200);
    }

    [Fact]
    public async Task After_a_rotation_on_one_node_tokens_from_before_and_after_work_on_both_and_the_other_node_keeps_minting_valid_tokens()
    {
        var timeB = new ManualTime(DateTimeOffset.UtcNow);
        await using var db = await TestDatabase.CreateAsync(Engine.Postgres);
        await using var a = await TestHost.StartAsync(Engine.Postgres, db: db);
        await using var b = await TestHost.StartAsync(Engine.Postgres, db: db, time: timeB);
        var writerA = a.Client(TestHost.WriteKey);
        var writerB = b.Client(TestHost.WriteKey);
        await writerA.CreateTaskAsync("t");

        var tokens = new List<(string When, string Token)>
        {
            ("A before", await MintAsync(writerA, """["read:tasks:t"]""")),
            ("B before", await MintAsync(writerB, """["read:tasks:t"]""")),
        };
        await (await a.Client().PostJsonAsync("/api/v1/tokens/rotate", "")).ExpectAsync(200);
        tokens.Add(("A after", await MintAsync(writerA, """["read:tasks:t"]""")));
        // B may still sign with the retired key until it reloads: retired keys verify until their tokens expire.
        tokens.Add(("B after, within its refresh window", await MintAsync(writerB, """["read:tasks:t"]""")));
        timeB.Advance(SigningKeys.Refresh + TimeSpan.FromSeconds(1));
        tokens.Add(("B after its refresh window", await MintAsync(writerB, """["read:tasks:t"]""")));

        foreach (var (when, token) in tokens)
        {
            foreach (var (name, node) in new[] { ("A", a), ("B", b) })
            {
                var r = await Bearer(node, token).GetAsync($"{TasksPath}/t");
                Assert.True(r.IsSuccessStatusCode, $"token minted {when}, on node {name}: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
            }
        }
    }

    [Fact]
    public async Task A_database_key_revoked_on_one_node_ends_its_tokens_on_the_other_at_the_next_request()
    {
        await using var db = await TestDatabase.CreateAsync(Engine.Postgres);
        await using var a = await TestHost.StartAsync(Engine.Postgres, db: db);
        await using var b = await TestHost.StartAsync(Engine.Postgres, db: db);
        var adminA = a.Client();
        await adminA.CreateTaskAsync("t");
        var (id, secret) = await adminA.CreateKeyAsync("minter", """["write"]""");
        var onB = Bearer(b, await MintAsync(a.Client(secret), """["read:tasks:t"]"""));
        await (await onB.GetAsync($"{TasksPath}/t")).ExpectAsync(200);

        await (await adminA.DeleteAsync($"/api/v1/keys/{id}")).ExpectAsync(204);
        await ProblemAsync(await onB.GetAsync($"{TasksPath}/t"), 401, "revoked");
        // A token of another key is unaffected.
        var other = await MintAsync(a.Client(TestHost.WriteKey), """["read:tasks:t"]""");
        await (await Bearer(b, other).GetAsync($"{TasksPath}/t")).ExpectAsync(200);
    }
}
