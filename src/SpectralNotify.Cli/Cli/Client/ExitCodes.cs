namespace SpectralNotify.Cli;

/// <summary>
/// Exit codes of the client verbs. <c>watch --exit-status</c> maps the entity's outcome onto 0, 1
/// and 2, as <c>gh run watch --exit-status</c> does; the others hold for every client verb.
/// </summary>
public static class ExitCodes
{
    /// <summary>Done; with <c>--exit-status</c>, the entity succeeded.</summary>
    public const int Success = 0;

    /// <summary>The server refused the call (one <c>error:</c> line); with <c>--exit-status</c>, the entity failed.</summary>
    public const int Failed = 1;

    /// <summary>A usage error; with <c>--exit-status</c>, the entity was canceled.</summary>
    public const int Canceled = 2;

    /// <summary><c>--timeout</c> was reached before the entity ended.</summary>
    public const int Timeout = 3;

    /// <summary>The server could not be reached, or refused the key (401, 403).</summary>
    public const int Connection = 4;
}
