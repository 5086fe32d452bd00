using System.Net.Sockets;
using Npgsql;
using SpectralNotify.Storage;

namespace SpectralNotify.Postgres;

/// <summary>
/// Which PostgreSQL failures mean "the database cannot be reached now" rather than "this request is
/// wrong or the code has a bug": a restart, a terminated backend, a refused or timed-out connection,
/// an exhausted pool. They become <see cref="StoreUnavailableException"/> (503 + Retry-After).
/// </summary>
/// <remarks>
/// Npgsql's own <c>IsTransient</c> misses some of them (e.g. SQLSTATE 57P01 "terminating connection
/// due to administrator command", sent by <c>pg_ctl stop -m fast</c> and <c>pg_terminate_backend</c>),
/// so this list is ours. The statement that hit such an error did not commit, except for a COMMIT
/// whose answer was lost: then the outcome is unknown, as for any client of any database.
/// </remarks>
public static class PostgresFaults
{
    /// <summary>The exception as a <see cref="StoreUnavailableException"/> when it means connection loss; null otherwise.</summary>
    public static StoreUnavailableException? AsUnavailable(Exception ex) => ex switch
    {
        StoreUnavailableException already => already,
        PostgresException pg when IsUnavailableState(pg.SqlState) => new StoreUnavailableException(Describe(pg), pg),
        PostgresException => null,
        // Not a server error: the client could not reach the server or lost it mid-statement
        // (socket refused or reset, end of stream, connect or pool-wait timeout, broken connector).
        NpgsqlException npgsql when npgsql.IsTransient || IsConnectionLoss(npgsql.InnerException) =>
            new StoreUnavailableException(Describe(npgsql), npgsql),
        _ => null,
    };

    /// <summary>SQLSTATE classes and codes that say the server or the connection went away, or is out of resources.</summary>
    private static bool IsUnavailableState(string state) =>
        state.StartsWith("08", StringComparison.Ordinal) // connection exception
        || state.StartsWith("53", StringComparison.Ordinal) // insufficient resources (too many connections, disk full)
        || state.StartsWith("57P", StringComparison.Ordinal) // admin / crash shutdown, cannot connect now, database dropped
        || state == "58030" // I/O error
        || state is "40P01" or "40001"; // deadlock or serialization failure: nothing was written, a retry succeeds

    private static bool IsConnectionLoss(Exception? inner)
    {
        for (; inner is not null; inner = inner.InnerException)
        {
            if (inner is IOException or SocketException or TimeoutException)
            {
                return true;
            }
        }
        return false;
    }

    private static string Describe(Exception ex) => ex switch
    {
        PostgresException pg => $"PostgreSQL {pg.SqlState}: {pg.MessageText}",
        { InnerException: { } inner } => $"{ex.Message} ({inner.GetType().Name}: {inner.Message})",
        _ => ex.Message,
    };
}
