namespace SpectralNotify.Server.Api.Idempotency;

/// <summary>
/// Endpoint metadata: the answer holds a secret (a new API key, a token), so it is never stored for
/// replay and a request carrying an <c>Idempotency-Key</c> is refused before anything runs.
/// </summary>
public sealed class SecretAnswer
{
    public static SecretAnswer Marker { get; } = new();
}
