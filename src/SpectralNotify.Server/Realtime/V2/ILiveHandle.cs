namespace SpectralNotify.Server.Realtime.V2;

/// <summary>One open subscription of a protocol-v2 connection, whatever its kind (entity topic or list).</summary>
public interface ILiveHandle
{
    string Id { get; }

    /// <summary>Completes when the subscription has ended (closed, ended, failed or overflowed).</summary>
    Task Completion { get; }

    /// <summary>True when it ended because the connection's byte budget overflowed: the whole connection is too slow.</summary>
    bool Overflowed { get; }

    /// <summary>Whether the connection's caller may still read it (checked again when a token is renewed).</summary>
    bool StillAllowed(Access.Caller caller);

    /// <summary>Stops it; <see cref="Completion"/> completes soon after.</summary>
    void Close();
}
