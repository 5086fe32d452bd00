using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using SpectralNotify.Sqlite;

namespace SpectralNotify.Server.Hosting;

/// <summary>
/// The checks <see cref="SpectralPreparation.PrepareAsync"/> runs before it touches the database, each of
/// which fails with a <see cref="StartupException"/> naming the setting: the operator gets one line,
/// and a failed start leaves no migrated or newly created database behind.
/// </summary>
public static class StartupChecks
{
    /// <summary>Binds and validates every options type registered with <c>ValidateOnStart</c>, now rather than when the host starts (after migrations).</summary>
    public static void ValidateOptions(IServiceProvider services)
    {
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
        }
        catch (OptionsValidationException ex)
        {
            throw Invalid(ex.Failures, ex);
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is OptionsValidationException))
        {
            throw Invalid(ex.InnerExceptions.SelectMany(e => ((OptionsValidationException)e).Failures), ex);
        }
        catch (InvalidOperationException ex) when (ex.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal))
        {
            // The binder's message names the key, the value and the type it wanted.
            throw new StartupException($"invalid setting: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Fails when a configured address is already taken, so a second start neither migrates nor
    /// generates keys before Kestrel would refuse the port. Host names other than localhost and
    /// port 0 are left to Kestrel.
    /// </summary>
    public static void CheckPortsFree(IConfiguration config)
    {
        var urls = config["urls"];
        if (string.IsNullOrWhiteSpace(urls))
        {
            return;
        }
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!TryEndpoint(url, out var endpoint))
            {
                continue;
            }
            try
            {
                using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(endpoint);
                socket.Listen();
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
            {
                var why = ex.SocketErrorCode == SocketError.AddressAlreadyInUse ? "is already in use" : "may not be bound by this user";
                throw new StartupException(
                    $"urls={urls}: {url} {why}; stop the other process or choose another address with --urls (or ASPNETCORE_URLS)", ex);
            }
        }
    }

    /// <summary>Creates the data folder (the SQLite file's, where <c>admin.key</c> lives too) or names it in the error.</summary>
    public static void EnsureDataDirectory(DatabaseSetting db)
    {
        try
        {
            Directory.CreateDirectory(db.DataDirectory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StartupException($"SPECTRAL_DATABASE={db.Display}: cannot create the data folder {db.DataDirectory}: {ex.Message}", ex);
        }
    }

    /// <summary>Takes the SQLite file's process lock, or names the process that holds it.</summary>
    public static SqliteProcessLock LockSqlite(DatabaseSetting db)
    {
        try
        {
            return SqliteProcessLock.Acquire(db.Value);
        }
        catch (SqliteDatabaseInUseException ex)
        {
            throw new StartupException($"SPECTRAL_DATABASE={db.Display}: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StartupException($"SPECTRAL_DATABASE={db.Display}: cannot create {SqliteProcessLock.LockPathOf(db.Value)}: {ex.Message}", ex);
        }
    }

    private static StartupException Invalid(IEnumerable<string> failures, Exception inner) =>
        new($"invalid setting {string.Join("; ", failures)}", inner);

    private static bool TryEndpoint(string url, out IPEndPoint endpoint)
    {
        endpoint = null!;
        BindingAddress address;
        try
        {
            address = BindingAddress.Parse(url);
        }
        catch (FormatException)
        {
            return false;
        }
        if (address.IsNamedPipe || address.IsUnixPipe || address.Port == 0)
        {
            return false;
        }
        var host = address.Host.Trim('[', ']');
        IPAddress? ip = host switch
        {
            "localhost" => IPAddress.Loopback,
            "*" or "+" => IPAddress.Any,
            _ => IPAddress.TryParse(host, out var parsed) ? parsed : null,
        };
        if (ip is null)
        {
            return false;
        }
        endpoint = new IPEndPoint(ip, address.Port);
        return true;
    }
}
