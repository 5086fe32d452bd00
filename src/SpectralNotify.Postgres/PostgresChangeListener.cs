using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SpectralNotify.Health;
using SpectralNotify.Realtime;

namespace SpectralNotify.Postgres;

/// <summary>
/// Brings other nodes' changes into this process: holds one dedicated connection that
/// <c>LISTEN</c>s on the schema's channel, and publishes every notification committed by another
/// node on the <see cref="TaskFeed"/> (this node's own changes were already published in-process
/// by the task service).
/// </summary>
/// <remarks>
/// Notifications are hints: one sent while the connection is down is lost, and the realtime hub
/// repairs such gaps from storage when it sees a seq it did not expect. So after a reconnect
/// nothing is replayed or announced; the listener just listens again, retrying with exponential
/// backoff (0.5 s doubling to 30 s, with jitter) for as long as it runs. Npgsql's keepalive (15 s
/// unless the connection string sets one) notices a dead server while the connection is idle.
/// While disconnected it reports <see cref="Health"/> failing (so <c>/readyz</c> answers 503 and
/// names it); each successful LISTEN reports success.
/// </remarks>
public sealed partial class PostgresChangeListener : IAsyncDisposable
{
    private static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private readonly string _connectionString;
    private readonly string _nodeId;
    private readonly string _ownPrefix;
    private readonly string _channel;
    private readonly TaskFeed _feed;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    // Owned by the loop once started: StartAsync sets it before the loop runs, DisposeAsync reads it after the loop ended.
    private NpgsqlConnection? _connection;
    private Task? _loop;

    /// <param name="health">Where to report the connection's state; a private one when null.</param>
    public PostgresChangeListener(PostgresStoreOptions options, TaskFeed feed, ILogger<PostgresChangeListener>? logger = null,
        ComponentHealth? health = null, TimeProvider? time = null)
    {
        Health = health ?? new ComponentHealth(HealthName);
        _time = time ?? TimeProvider.System;
        var builder = new NpgsqlConnectionStringBuilder(options.EffectiveConnectionString())
        {
            // A pooled connection would carry the LISTEN back into the pool; this one is ours alone.
            Pooling = false,
        };
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            // Lets operators tell it apart in pg_stat_activity.
            builder.ApplicationName = "spectral-notify listener";
        }
        if (builder.KeepAlive == 0)
        {
            builder.KeepAlive = 15;
        }
        _connectionString = builder.ConnectionString;
        _nodeId = options.NodeId;
        _ownPrefix = ChangeNotice.PrefixFor(_nodeId);
        _channel = PostgresNames.Channel(options.Schema);
        _feed = feed;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The component name the listener reports under in <c>/readyz</c> and <c>/metrics</c>.</summary>
    public const string HealthName = "postgres-listener";

    /// <summary>Failing from a lost connection until LISTEN is re-established.</summary>
    public ComponentHealth Health { get; }

    /// <summary>
    /// Raised after LISTEN is re-established: notifications sent while it was down are lost, so
    /// whoever relays changes must read storage for everything it may have missed.
    /// </summary>
    public event Action? Reconnected;

    /// <summary>
    /// Connects and LISTENs, then keeps listening in the background. Returns once listening, so a
    /// change committed after this returns is received; throws if the first connection fails.
    /// </summary>
    public async Task StartAsync(CancellationToken ct)
    {
        if (_loop is not null)
        {
            throw new InvalidOperationException("The listener is already started.");
        }
        _connection = await ConnectAsync(ct);
        Health.Succeeded(_time.GetUtcNow());
        _loop = Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var backoff = MinBackoff;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (_connection is null)
                {
                    _connection = await ConnectAsync(stop);
                    Health.Succeeded(_time.GetUtcNow());
                    LogReconnected(_logger, _channel);
                    Reconnected?.Invoke();
                }
                backoff = MinBackoff;
                while (true)
                {
                    // Returns after each notification (raised via OnNotification) or keepalive.
                    await _connection.WaitAsync(stop);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogConnectionLost(_logger, ex, _channel, backoff.TotalSeconds);
                Health.Failed($"not listening on {_channel} (changes made on other nodes arrive late until it reconnects): {ex.GetType().Name}: {ex.Message}", _time.GetUtcNow());
                if (_connection is not null)
                {
                    await _connection.DisposeAsync();
                    _connection = null;
                }
                try
                {
                    await Task.Delay(Jitter(backoff), stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    private async Task<NpgsqlConnection> ConnectAsync(CancellationToken ct)
    {
        var connection = new NpgsqlConnection(_connectionString);
        try
        {
            connection.Notification += OnNotification;
            await connection.OpenAsync(ct);
            await using var cmd = new NpgsqlCommand("LISTEN " + PostgresNames.QuoteIdentifier(_channel), connection);
            await cmd.ExecuteNonQueryAsync(ct);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        if (e.Channel != _channel || e.Payload.StartsWith(_ownPrefix, StringComparison.Ordinal)
            || ChangeNotice.Parse(e.Payload) is not { } notice || notice.Node == _nodeId)
        {
            return;
        }
        try
        {
            _feed.Publish(notice.Kind switch
            {
                FeedItem.CounterKind => new FeedItem(FeedItem.CounterKind, notice.Task, notice.Seq, notice.Counter, notice.Deleted),
                FeedItem.WorkflowKind => new FeedItem(FeedItem.WorkflowKind, notice.Task, notice.Seq, notice.Workflow, notice.Deleted),
                _ => FeedItem.ForTask(notice.Task, notice.Seq, notice.Change, notice.Deleted),
            });
        }
        catch (Exception ex)
        {
            // A failing subscriber must not take the connection down with it.
            LogSubscriberFailed(_logger, ex, notice.Task, notice.Seq);
        }
    }

    /// <summary>Spreads retries of many nodes after a shared outage: 75 % to 125 % of the delay.</summary>
    private static TimeSpan Jitter(TimeSpan delay) => delay * (0.75 + (Random.Shared.NextDouble() / 2));

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Listener on {Channel} lost its connection; reconnecting in about {Seconds} s.")]
    private static partial void LogConnectionLost(ILogger logger, Exception ex, string channel, double seconds);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Listener on {Channel} reconnected.")]
    private static partial void LogReconnected(ILogger logger, string channel);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "A feed subscriber failed on task {TaskId} seq {Seq}.")]
    private static partial void LogSubscriberFailed(ILogger logger, Exception ex, string taskId, long seq);
}
