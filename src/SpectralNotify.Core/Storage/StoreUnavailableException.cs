using SpectralNotify.Tasks;

namespace SpectralNotify.Storage;

/// <summary>
/// The database could not take the write (or answer the read) within the bound: another process
/// holds the SQLite lock, the disk is full, an I/O error, PostgreSQL unreachable. Nothing of the
/// request was written. Answered 503 with <c>Retry-After</c>; the same request succeeds once the cause
/// is gone, without a restart.
/// </summary>
public sealed class StoreUnavailableException : SpectralException
{
    public StoreUnavailableException(string reason, Exception? inner = null)
        : base($"The database is unavailable: {reason}. Nothing was written; retry later.", inner) => Reason = reason;

    private StoreUnavailableException(string reason, Exception? inner, bool outcomeUnknown)
        : base($"The database is unavailable: {reason}. The write may or may not have been applied.", inner)
    {
        Reason = reason;
        OutcomeUnknown = outcomeUnknown;
    }

    /// <summary>
    /// The connection was lost while the database committed: the write may have been applied. An
    /// Idempotency-Key stays claimed for such a request, so a retry cannot apply it a second time.
    /// </summary>
    public static StoreUnavailableException DuringCommit(string reason, Exception? inner) => new(reason, inner, outcomeUnknown: true);

    public string Reason { get; }

    /// <summary>True when the write may have been applied (see <see cref="DuringCommit"/>).</summary>
    public bool OutcomeUnknown { get; }

    /// <summary>What clients are told to wait before retrying.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);
}
