using SpectralNotify.Tasks;

namespace SpectralNotify.Server.Realtime.V2;

/// <summary>
/// Where an entity stands when a subscription opens, read in one go so position and data agree:
/// its epoch (null while it does not exist), its latest seq, the <c>snapshot</c> message, and the
/// <c>end</c> reason when it is already terminal (a subscription opened after the end still ends).
/// </summary>
public sealed record EntityState(string? Epoch, long Seq, byte[] Snapshot, string? EndReason = null)
{
    /// <summary>The <c>end</c> reason of an entity in <paramref name="status"/>, or null while it can still change.</summary>
    public static string? EndOf(TaskState? status) => status is { } s && s.IsTerminal() ? s.ToWire() : null;
}
