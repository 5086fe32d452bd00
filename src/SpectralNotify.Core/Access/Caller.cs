namespace SpectralNotify.Access;

/// <summary>
/// Who is asking: an API key's <see cref="Level"/>, a token's <see cref="Grants"/>, or nobody. A key
/// presented in a URL is lowered to <see cref="Level.Read"/> before it gets here.
/// </summary>
/// <param name="KeyId">The key that authenticated (or minted the token): idempotency and replay caches are scoped by it.</param>
public sealed record Caller(bool Authenticated, string? KeyId, Level? Level, IReadOnlyList<Grant> Grants)
{
    public static Caller Anonymous { get; } = new(false, null, null, []);
}
