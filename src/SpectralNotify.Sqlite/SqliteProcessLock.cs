using System.Globalization;
using System.Text;

namespace SpectralNotify.Sqlite;

/// <summary>
/// One process per SQLite file: an exclusive lock on <c>&lt;database&gt;.lock</c>, held while any
/// store (or writing migration) of this process has the file open. The lock file holds the
/// holder's PID, so a refused process can name it.
/// </summary>
/// <remarks>
/// <para>
/// The lock is an OS record lock (<see cref="FileStream.Lock"/>: <c>fcntl</c> on Unix,
/// <c>LockFileEx</c> on Windows). The kernel drops it when the holder's file handle closes, which
/// includes the process dying from <c>kill -9</c>, so a crash never leaves a stale lock behind. The
/// file itself stays: deleting it on release would let a waiting process lock an unlinked inode
/// while a third one creates and locks a new file under the same name.
/// </para>
/// <para>
/// Per process, not per caller: the first <see cref="Acquire"/> of a file opens and locks it, later
/// ones only count, and the last <see cref="Dispose"/> closes it. Tests open one file from a
/// migration driver and several stores in one process, and POSIX record locks would be released by
/// closing any second handle to the file anyway.
/// </para>
/// <para>
/// The locked byte lies far past the PID text: region locks are mandatory on Windows, and readers
/// of the PID must not be blocked by them.
/// </para>
/// </remarks>
public sealed class SqliteProcessLock : IDisposable
{
    private const long LockOffset = 1 << 20;
    private static readonly Dictionary<string, Holder> Held = new(StringComparer.Ordinal);
    private readonly string _lockPath;
    private int _disposed;

    private SqliteProcessLock(string lockPath) => _lockPath = lockPath;

    /// <summary>The lock file of <paramref name="databasePath"/>: the database path plus <c>.lock</c>.</summary>
    public static string LockPathOf(string databasePath) => Path.GetFullPath(databasePath) + ".lock";

    /// <summary>Takes (or, in this process, shares) the lock of the database file.</summary>
    /// <exception cref="SqliteDatabaseInUseException">Another process holds it.</exception>
    public static SqliteProcessLock Acquire(string databasePath)
    {
        var lockPath = LockPathOf(databasePath);
        lock (Held)
        {
            if (Held.TryGetValue(lockPath, out var holder))
            {
                holder.Count++;
                return new SqliteProcessLock(lockPath);
            }
            var stream = Lock(lockPath, Path.GetFullPath(databasePath));
            Held[lockPath] = new Holder(stream);
            return new SqliteProcessLock(lockPath);
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        lock (Held)
        {
            var holder = Held[_lockPath];
            if (--holder.Count == 0)
            {
                Held.Remove(_lockPath);
                holder.Stream.Dispose();
            }
        }
    }

    private static FileStream Lock(string lockPath, string databasePath)
    {
        // macOS has no FileStream.Lock: there the exclusive open (an flock) is the lock, and the
        // refused process cannot read the PID.
        var share = OperatingSystem.IsMacOS() ? FileShare.None : FileShare.ReadWrite | FileShare.Delete;
        FileStream stream;
        try
        {
            stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, share);
        }
        catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException && File.Exists(lockPath))
        {
            // .NET on Unix also takes a shared flock when opening; only an exclusive one held by a
            // foreign tool makes that fail.
            throw new SqliteDatabaseInUseException(databasePath, ReadPid(lockPath));
        }
        if (!OperatingSystem.IsMacOS())
        {
            try
            {
                stream.Lock(LockOffset, 1);
            }
            catch (IOException)
            {
                stream.Dispose();
                throw new SqliteDatabaseInUseException(databasePath, ReadPid(lockPath));
            }
        }
        var pid = Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
        stream.SetLength(0);
        stream.Write(pid);
        stream.Flush();
        return stream;
    }

    /// <summary>The PID the holder wrote, or null (unreadable, or the holder has not written it yet).</summary>
    private static int? ReadPid(string lockPath)
    {
        try
        {
            using var stream = new FileStream(lockPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var buffer = new byte[32];
            var n = stream.Read(buffer);
            return int.TryParse(Encoding.ASCII.GetString(buffer, 0, n).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private sealed class Holder(FileStream stream)
    {
        public FileStream Stream { get; } = stream;
        public int Count { get; set; } = 1;
    }
}

/// <summary>Another process holds the SQLite file's <see cref="SqliteProcessLock"/>.</summary>
public sealed class SqliteDatabaseInUseException(string databasePath, int? holderPid) : IOException(
    $"{databasePath} is in use by another process ({(holderPid is { } pid ? $"PID {pid}" : "PID unknown")}): " +
    "SQLite serves one process per file; stop that process, or use PostgreSQL to run several")
{
    public string DatabasePath { get; } = databasePath;

    public int? HolderPid { get; } = holderPid;
}
