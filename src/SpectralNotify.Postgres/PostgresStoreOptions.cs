using System.Globalization;
using Npgsql;

namespace SpectralNotify.Postgres;

/// <summary>Settings of the PostgreSQL engine, shared by the store, its change listener and its migration driver.</summary>
public sealed class PostgresStoreOptions
{
    /// <summary>
    /// Npgsql connection string, e.g. <c>Host=db;Username=spectral;Database=spectral;Search Path=spectral</c>.
    /// No default: it must be set. Its <c>Search Path</c> selects the schema (see <see cref="Schema"/>).
    /// </summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// This process's name among the nodes sharing the database. Notifications carry it so a node
    /// ignores its own (it has already announced them in-process). Defaults to a random 16-hex-digit
    /// id per options instance; set it to the node id the server uses elsewhere (sessions).
    /// </summary>
    public string NodeId { get; set; } = Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture)[..16];

    /// <summary>
    /// The schema holding the tables: the first entry of the connection string's <c>Search Path</c>,
    /// folded to lower case unless double-quoted, as PostgreSQL reads it. Defaults to <c>public</c>
    /// when no search path is given. It also names the notification channel and the migration lock,
    /// so engines in different schemas of one database do not see each other.
    /// </summary>
    public string Schema => PostgresNames.SchemaFromSearchPath(new NpgsqlConnectionStringBuilder(ConnectionString).SearchPath);

    /// <summary>
    /// How long opening a connection (or waiting for a pooled one) may take before the request fails
    /// with 503, used as Npgsql's <c>Timeout</c> unless the connection string sets one. The server
    /// passes <c>Spectral:WriteTimeout</c>, so a request never waits on an unreachable PostgreSQL
    /// longer than a held SQLite lock would make it wait. Null keeps Npgsql's default (15 s).
    /// </summary>
    public TimeSpan? ConnectTimeout { get; set; }

    /// <summary>The connection string with <c>Search Path</c> set to <see cref="Schema"/> when it was missing.</summary>
    /// <exception cref="ArgumentException">No connection string was given.</exception>
    internal string EffectiveConnectionString()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            throw new ArgumentException("PostgresStoreOptions.ConnectionString is required.");
        }
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString);
        if (string.IsNullOrWhiteSpace(builder.SearchPath))
        {
            // Pin it: the server default ("$user", public) would prefer a schema named after the user.
            builder.SearchPath = PostgresNames.QuoteIdentifier(Schema);
        }
        if (builder.MaxAutoPrepare == 0)
        {
            // Every statement here is one of a few hundred fixed SQL texts: preparing them once per
            // connection saves PostgreSQL parsing and planning each execution (unless the caller chose).
            builder.MaxAutoPrepare = 256;
            builder.AutoPrepareMinUsages = 2;
        }
        if (!SetsKey(ConnectionString, "No Reset On Close") && !SetsKey(ConnectionString, "NoResetOnClose"))
        {
            // The store keeps no session state on pooled connections (the migration lock and LISTEN use
            // connections of their own, search_path is in the connection string, everything else is
            // transaction-scoped), so the reset Npgsql otherwise runs on every reuse (RESET ALL, CLOSE ALL,
            // UNLISTEN *, pg_advisory_unlock_all(), DISCARD ...) is pure cost: measured at half of all
            // PostgreSQL transactions under 1,000 cron firings per second (docs/benchmarks.md). Npgsql
            // still rolls back an open transaction when a connection returns to the pool.
            builder.NoResetOnClose = true;
        }
        if (ConnectTimeout is { } timeout && !SetsKey(ConnectionString, "Timeout"))
        {
            builder.Timeout = Math.Clamp((int)Math.Ceiling(timeout.TotalSeconds), 1, 1024);
        }
        return builder.ConnectionString;
    }

    /// <summary>True when the caller's connection string names <paramref name="key"/> itself (the typed builder reports defaults too).</summary>
    private static bool SetsKey(string connectionString, string key) =>
        new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.ContainsKey(key);
}
