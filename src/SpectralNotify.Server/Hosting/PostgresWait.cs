using Npgsql;

namespace SpectralNotify.Server.Hosting;

/// <summary>
/// Waits for PostgreSQL at start: in docker-compose the database often accepts connections a few
/// seconds after the server starts. Retries with exponential backoff (0.5 s doubling to 5 s) for
/// <see cref="SpectralOptions.DatabaseConnectTimeout"/>, logging one line per failed attempt.
/// </summary>
public static class PostgresWait
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(5);

    public static async Task UntilReachableAsync(DatabaseSetting db, TimeSpan timeout, TimeProvider time, ILogger log, CancellationToken ct)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(db.Value) { Pooling = false };
        }
        catch (ArgumentException ex)
        {
            throw new StartupException($"SPECTRAL_DATABASE={db.Display}: {ex.Message}", ex);
        }
        var where = $"{builder.Host}:{builder.Port}";
        var deadline = time.GetUtcNow() + timeout;
        var delay = FirstDelay;
        for (var attempt = 1; ; attempt++)
        {
            var left = deadline - time.GetUtcNow();
            // Npgsql's connect timeout is in whole seconds, at least 1.
            builder.Timeout = (int)Math.Clamp(Math.Ceiling(left.TotalSeconds), 1, MaxDelay.TotalSeconds);
            try
            {
                await using var connection = new NpgsqlConnection(builder.ConnectionString);
                await connection.OpenAsync(ct);
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException && !ct.IsCancellationRequested)
            {
                var reason = ex.GetBaseException().Message.ReplaceLineEndings(" ");
                left = deadline - time.GetUtcNow();
                if (!IsTransient(ex) || left <= TimeSpan.Zero)
                {
                    throw new StartupException(
                        $"SPECTRAL_DATABASE={db.Display}: cannot connect to PostgreSQL at {where} after {attempt} attempt(s) " +
                        $"(Spectral:DatabaseConnectTimeout={timeout}): {reason}", ex);
                }
                log.LogWarning("waiting for PostgreSQL at {Where} (attempt {Attempt}): {Reason}", where, attempt, reason);
                await Task.Delay(delay < left ? delay : left, time, ct);
                delay = delay * 2 < MaxDelay ? delay * 2 : MaxDelay;
            }
        }
    }

    /// <summary>Unreachable or still starting is worth waiting for; a wrong password or database name is not.</summary>
    private static bool IsTransient(Exception ex) => ex switch
    {
        PostgresException pg => pg.SqlState is PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections,
        _ => true,
    };
}
