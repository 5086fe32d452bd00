namespace SpectralNotify.Server.Hosting;

/// <summary>
/// The server cannot start because of a setting or its environment (a bad value, a port in use, a
/// database held by another process). <c>spectral serve</c> prints the message as one
/// <c>error:</c> line and exits with 1: the operator needs the setting, not a stack trace.
/// </summary>
/// <remarks>The message must name the setting and must not contain secrets (see <see cref="Secrets"/>).</remarks>
public sealed class StartupException(string message, Exception? inner = null) : Exception(message, inner);
