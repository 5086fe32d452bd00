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

    /// <summary>The scopes a key with <paramref name="scope"/> effectively holds.</summary>
    public static IEnumerable<string> Implied(string scope) => scope switch
    {
        Admin => [Admin, Write, Read],
        Write => [Write, Read],
        Read => [Read],
        _ => [],
    };
}
