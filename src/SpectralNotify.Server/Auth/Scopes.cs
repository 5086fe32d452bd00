using SpectralNotify.Access;

namespace SpectralNotify.Server.Auth;

/// <summary>API key scopes as claims. admin ⊇ write ⊇ read; what each allows is <see cref="AccessRules"/>.</summary>
public static class Scopes
{
    public const string Read = "read";
    public const string Write = "write";
    public const string Admin = "admin";

    public const string ClaimType = "scope";

    public static Level? ToLevel(string scope) => scope switch
    {
        Admin => Level.Admin,
        Write => Level.Write,
        Read => Level.Read,
        _ => null,
    };

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
