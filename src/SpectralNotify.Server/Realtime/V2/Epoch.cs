namespace SpectralNotify.Server.Realtime.V2;

/// <summary>
/// The incarnation of an entity: its creation instant (milliseconds since 1970, hexadecimal). A task
/// deleted and created again restarts at seq 1 with a new creation instant, so a client resuming with
/// the old epoch is told (<c>recovered: false</c>) instead of silently skipping the new history.
/// </summary>
/// <remarks>
/// Derived rather than stored: ids are unique at any moment and a re-creation happens after the
/// deletion committed, so two incarnations cannot share a millisecond through the API.
/// </remarks>
public static class Epoch
{
    public static string Of(DateTimeOffset createdAt) => createdAt.ToUnixTimeMilliseconds().ToString("x", System.Globalization.CultureInfo.InvariantCulture);
}
