namespace SpectralNotify.Sqlite;

/// <summary>
/// Process-wide set-up of the bundled SQLite library, done once, before this engine opens its first
/// connection.
/// </summary>
/// <remarks>
/// <para>
/// The library is built "serialized": every call on a connection (each bind, step and column read)
/// takes that connection's mutex, and every allocation takes a global one to keep memory statistics.
/// This engine never uses a connection or its statements from two threads at once (the writer has its
/// own loop; a pooled reader belongs to one request at a time), which is SQLite's "multi-thread" mode,
/// and it reads no memory statistics. On the writer's thread during a job burn-down those mutexes took
/// about 9 % of the samples; without them the burn-down did 8–20 % more runs per second
/// (docs/benchmarks.md, "Issue 14, ninth round").
/// </para>
/// <para>
/// SQLite takes this configuration only before it first initializes. Where something in the process
/// opened a SQLite connection first (an embedding application, a test), the library stays serialized,
/// which is as correct and slower; <see cref="MultiThread"/> says which applies.
/// </para>
/// </remarks>
internal static class SqliteLibrary
{
    static SqliteLibrary()
    {
        SQLitePCL.Batteries_V2.Init();
        var threading = SQLitePCL.raw.sqlite3_config(SQLitePCL.raw.SQLITE_CONFIG_MULTITHREAD);
        if (threading == SQLitePCL.raw.SQLITE_OK)
        {
            SQLitePCL.raw.sqlite3_config(SQLitePCL.raw.SQLITE_CONFIG_MEMSTATUS, 0);
        }
        MultiThread = threading == SQLitePCL.raw.SQLITE_OK;
    }

    /// <summary>True when this process's SQLite runs in multi-thread mode without memory statistics.</summary>
    public static bool MultiThread { get; }

    /// <summary>Runs the set-up above, once per process.</summary>
    public static void Init()
    {
        // The static constructor does the work; this call makes sure it has run.
    }
}
