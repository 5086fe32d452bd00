using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace SpectralNotify.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster of one test's own (<c>scripts/pg-start.sh</c> in a fresh folder on
/// a free port), so the test may stop, restart it and terminate its backends. The shared test
/// instance is never touched: other tests use it in parallel.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private readonly string _root;
    private readonly int _port;
    private readonly string _pgBin;

    private PostgresCluster(string root, int port, string pgBin, string connectionString)
    {
        _root = root;
        _port = port;
        _pgBin = pgBin;
        ConnectionString = connectionString;
    }

    /// <summary>Npgsql connection string of the cluster's database (<c>faults</c>).</summary>
    public string ConnectionString { get; }

    public const string DatabaseName = "faults";

    /// <summary>Starts a new cluster; skipped (or failed under CI) where PostgreSQL tests are not configured.</summary>
    public static async Task<PostgresCluster> StartAsync()
    {
        Engines.Require(Engine.Postgres);
        var root = Path.Combine("/tmp", "spectral-pg-fault-" + Guid.NewGuid().ToString("N")[..10]);
        var port = ServerProcess.FreePort();
        var pgBin = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
            .OrderBy(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0).Last();
        var cluster = new PostgresCluster(root, port, pgBin, "");
        var output = await cluster.ScriptAsync("pg-start.sh");
        return new PostgresCluster(root, port, pgBin, output.Trim().Split('\n')[^1]);
    }

    /// <summary><c>pg_ctl stop -m fast</c>: every backend gets 57P01 and new connections are refused until <see cref="StartAgainAsync"/>.</summary>
    public Task StopAsync() => PgCtlAsync("stop", "-m", "fast", "-w");

    /// <summary>Starts the stopped cluster again with its original settings.</summary>
    public Task StartAgainAsync() => ScriptAsync("pg-start.sh");

    /// <summary><c>pg_ctl restart -m fast</c>: a short outage, as a configuration reload or a minor upgrade causes.</summary>
    /// <remarks>With <c>-l</c>: otherwise the new postmaster inherits pg_ctl's output pipes and holds them open.</remarks>
    public Task RestartAsync() => PgCtlAsync("restart", "-m", "fast", "-w", "-l", Path.Combine(_root, "server.log"));

    /// <summary>Terminates every other backend of the test database (pool connections and LISTEN alike); returns how many.</summary>
    public async Task<int> TerminateBackendsAsync()
    {
        await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = @db AND pid <> pg_backend_pid()", conn);
        cmd.Parameters.AddWithValue("db", DatabaseName);
        return (int)(long)(await cmd.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ScriptAsync("pg-stop.sh", "--wipe");
    }

    private Task PgCtlAsync(params string[] args) =>
        RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_pgBin, "pg_ctl"), "-D", Path.Combine(_root, "data"), .. args], []);

    private Task<string> ScriptAsync(string script, params string[] args) =>
        RunAsync(RepoFiles.Find(Path.Combine("scripts", script)), args, new()
        {
            ["PGROOT"] = _root,
            ["PGPORT"] = _port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PGDB"] = DatabaseName,
            ["PG_FAST"] = "1",
        });

    private static async Task<string> RunAsync(string file, string[] args, Dictionary<string, string> env)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        foreach (var (k, v) in env)
        {
            psi.Environment[k] = v;
        }
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await p.WaitForExitAsync(timeout.Token);
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {p.ExitCode}: {await stderr}{await stdout}");
        }
        return await stdout;
    }
}
