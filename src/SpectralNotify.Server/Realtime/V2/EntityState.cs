namespace SpectralNotify.Server.Realtime.V2;

/// <summary>
/// Where an entity stands when a subscription opens, read in one go so position and data agree:
/// its epoch (null while it does not exist), its latest seq, and the <c>snapshot</c> message.
/// </summary>
public sealed record EntityState(string? Epoch, long Seq, byte[] Snapshot);
