using Microsoft.Data.Sqlite;

namespace SpectralNotify.Tests.Infrastructure;

/// <summary>
/// Holds SQLite's write lock on a database file from this (the test) process, as a <c>sqlite3</c>
/// shell running a backup, a VACUUM or a second server would: <c>BEGIN IMMEDIATE</c> on a
/// connection of its own, until <see cref="Release"/>.
/// </summary>
public sealed class SqliteLockHolder : IDisposable
{
    private readonly SqliteConnection _connection;
    private bool _held;

    private SqliteLockHolder(SqliteConnection connection)
    {
        _connection = connection;
        _held = true;
    }

    /// <summary>Takes the lock; waits (up to 30 s) while the server's writer is mid-transaction.</summary>
    public static SqliteLockHolder Take(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = 30 }.ToString());
        connection.Open();
        Execute(connection, "BEGIN IMMEDIATE");
        return new SqliteLockHolder(connection);
    }

    public void Release()
    {
        if (_held)
        {
            Execute(_connection, "ROLLBACK");
            _held = false;
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var c = connection.CreateCommand();
        c.CommandText = sql;
        c.ExecuteNonQuery();
    }

    public void Dispose()
    {
        Release();
        _connection.Dispose();
    }
}
