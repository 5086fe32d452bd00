using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Fuzz;

/// <summary>
/// Who sends a fuzzed request: the headers that authenticate it, prepared once per host (so a kind
/// that must first obtain a credential, such as a short-lived bearer token, is one more entry here).
/// </summary>
public sealed record Caller(string Name, Func<TestHost, Task<IReadOnlyList<KeyValuePair<string, string>>>> PrepareAsync)
{
    public static readonly IReadOnlyList<Caller> All =
    [
        ApiKey("admin", TestHost.AdminKey),
        ApiKey("write", TestHost.WriteKey),
        ApiKey("read", TestHost.ReadKey),
        new("anonymous", _ => Task.FromResult<IReadOnlyList<KeyValuePair<string, string>>>([])),
        Token("token-read-all", """["read:tasks:*","read:workflows:*","read:counters:*","read:runs:*","read:jobs:*"]"""),
        Token("token-one-task", """["read:tasks:t1","write:tasks:t1","read:jobs:j1"]"""),
    ];

    /// <summary>A short-lived token minted by the write key, sent as a bearer credential.</summary>
    private static Caller Token(string name, string scopesJson) => new(name, async host =>
    {
        var minted = await (await host.Client(TestHost.WriteKey).PostJsonAsync("/api/v1/tokens", $$"""{"scopes":{{scopesJson}},"ttlSeconds":3600}""")).ExpectAsync(201);
        return [new("Authorization", "Bearer " + minted.GetProperty("token").GetString())];
    });

    private static Caller ApiKey(string name, string key) =>
        new(name, _ => Task.FromResult<IReadOnlyList<KeyValuePair<string, string>>>([new("X-API-Key", key)]));

    public override string ToString() => Name;
}
