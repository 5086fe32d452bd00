using Npgsql;
using SpectralNotify.Postgres;

namespace SpectralNotify.Tests.Storage;

/// <summary>Which PostgreSQL failures are "the database is unavailable now" (503, retry) and which are not (a bug, a 500).</summary>
public sealed class PostgresFaultsTests
{
    [Theory]
    [InlineData("57P01", true)] // terminating connection due to administrator command (pg_ctl stop -m fast, pg_terminate_backend)
    [InlineData("08006", true)] // connection failure
    [InlineData("53300", true)] // too many connections
    [InlineData("40P01", true)] // deadlock detected: nothing was written, a retry succeeds
    [InlineData("40001", true)] // serialization failure
    [InlineData("23505", false)] // unique violation: the code's business, not the database's health
    [InlineData("42P01", false)] // undefined table: a bug
    public void Server_errors_by_sqlstate(string sqlState, bool unavailable)
    {
        var error = new PostgresException("message", "ERROR", "ERROR", sqlState);
        Assert.Equal(unavailable, PostgresFaults.AsUnavailable(error) is not null);
    }

    [Fact]
    public void A_connection_lost_mid_statement_is_unavailable()
    {
        var lost = new NpgsqlException("Exception while reading from stream", new IOException("connection reset"));
        Assert.NotNull(PostgresFaults.AsUnavailable(lost));
        Assert.Null(PostgresFaults.AsUnavailable(new InvalidOperationException("a bug")));
    }
}
