namespace SpectralNotify.Server.Auth;

/// <summary>API key scopes and the authorization policies built on them. admin ⊇ write ⊇ read.</summary>
public static class Scopes
{
    public const string Read = "read";
    public const string Write = "write";
    public const string Admin = "admin";

    /// <summary>Policy names.</summary>
    public const string ReadPolicy = "scope:read";
    public const string WritePolicy = "scope:write";
    public const string AdminPolicy = "scope:admin";
    /// <summary>Reads of one task: anonymous unless <c>Auth:PublicReads=false</c>.</summary>
    public const string PublicReadPolicy = "public-read";

    public const string ClaimType = "scope";

    /// <summary>The authenticating key's id: <c>key_…</c> for a database key, <c>cfg_…</c> (from its hash) for a configured one.</summary>
    public const string KeyIdClaimType = "key_id";

    /// <summary>The scopes a key can be granted, broadest first.</summary>
    public static IReadOnlyList<string> All { get; } = [Admin, Write, Read];

    /// <summary>The scopes a key with <paramref name="scope"/> effectively holds.</summary>
    public static IEnumerable<string> Implied(string scope) => scope switch
    {
        Admin => [Admin, Write, Read],
        Write => [Write, Read],
        Read => [Read],
        _ => [],
    };
}
