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
    ];

    private static Caller ApiKey(string name, string key) =>
        new(name, _ => Task.FromResult<IReadOnlyList<KeyValuePair<string, string>>>([new("X-API-Key", key)]));

    public override string ToString() => Name;
}
