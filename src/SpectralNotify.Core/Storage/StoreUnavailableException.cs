using SpectralNotify.Tasks;

namespace SpectralNotify.Storage;

/// <summary>
/// The database could not take the write (or answer the read) within the bound: another process
/// holds the SQLite lock, the disk is full, an I/O error, PostgreSQL unreachable. Nothing of the
/// request was written. Answered 503 with <c>Retry-After</c>; the same request succeeds once the cause
/// is gone, without a restart.
/// </summary>
public sealed class StoreUnavailableException(string reason, Exception? inner = null)
    : SpectralException($"The database is unavailable: {reason}. Nothing was written; retry later.", inner)
{
    public string Reason { get; } = reason;

    /// <summary>What clients are told to wait before retrying.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);
}
