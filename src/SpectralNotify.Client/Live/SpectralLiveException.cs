namespace SpectralNotify.Client.Live;

/// <summary>
/// A watch that cannot go on: the server refused the subscription (<see cref="Code"/> is the
/// protocol's error code, such as <c>forbidden</c> or <c>invalid-topic</c>), refused the connection,
/// or the retry policy gave up reconnecting (<see cref="Code"/> <c>closed</c>, the cause inside).
/// </summary>
public sealed class SpectralLiveException : Exception
{
    /// <summary>An error with a protocol code and message.</summary>
    public SpectralLiveException(string code, string message, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
    }

    /// <summary>The protocol error code (<c>forbidden</c>, <c>invalid-topic</c>, <c>invalid-filter</c>, …), or <c>closed</c>, <c>unauthorized</c>, <c>refused</c> from the client.</summary>
    public string Code { get; }
}
