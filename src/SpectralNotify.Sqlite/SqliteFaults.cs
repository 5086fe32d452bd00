using Microsoft.Data.Sqlite;

namespace SpectralNotify.Sqlite;

/// <summary>Which SQLite errors mean "the database cannot take writes now" (503), and how to say so in a line.</summary>
internal static class SqliteFaults
{
    // Primary result codes (https://sqlite.org/rescode.html).
    private const int Busy = 5, Locked = 6, NoMem = 7, ReadOnly = 8, IoErr = 10, Corrupt = 11, Full = 13, CantOpen = 14, Protocol = 15, NotADb = 26;

    public static bool IsUnavailable(SqliteException ex) =>
        (ex.SqliteErrorCode & 0xFF) is Busy or Locked or NoMem or ReadOnly or IoErr or Corrupt or Full or CantOpen or Protocol or NotADb;

    public static string Describe(Exception ex) => ex is SqliteException s
        ? (s.SqliteErrorCode & 0xFF) switch
        {
            Busy or Locked => "the database file is locked by another connection or process",
            Full => "the disk is full",
            IoErr => "an I/O error occurred",
            ReadOnly => "the database file is read-only",
            Corrupt or NotADb => "the database file is damaged",
            CantOpen => "the database file cannot be opened",
            _ => $"SQLite error {s.SqliteErrorCode}: {s.Message}",
        }
        : $"{ex.GetType().Name}: {ex.Message}";
}
