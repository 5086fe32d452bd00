using SpectralNotify.Access;

namespace SpectralNotify.Server.Realtime.V2;

/// <summary>What a subscription needs from the connection that carries it: a WebSocket (<see cref="LiveConnection"/>) or an SSE stream (<see cref="LiveSse"/>).</summary>
public interface ILiveConnection
{
    LiveContext Live { get; }
    LiveOutput Output { get; }
    Caller Caller { get; }

    /// <summary>Cancelled when the connection stops writing.</summary>
    CancellationToken Writing { get; }

    /// <summary>The connection's byte budget overflowed: it is closed as too slow (4008) without waiting for its writer.</summary>
    void Overflowed();

    ValueTask ErrorAsync(string? id, string code, string message, CancellationToken ct);
}
