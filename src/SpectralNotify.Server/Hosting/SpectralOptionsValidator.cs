using System.Globalization;
using Microsoft.Extensions.Options;

namespace SpectralNotify.Server.Hosting;

/// <summary>
/// Checks <see cref="SpectralOptions"/> at start. Without it a zero interval fails later inside a
/// <c>PeriodicTimer</c> and a bad <c>SqliteSynchronous</c> when the store is first used.
/// </summary>
public sealed class SpectralOptionsValidator : IValidateOptions<SpectralOptions>
{
    private static readonly string[] SynchronousModes = ["OFF", "NORMAL", "FULL", "EXTRA"];

    public ValidateOptionsResult Validate(string? name, SpectralOptions o)
    {
        var errors = new List<string>();
        Positive(errors, nameof(o.SessionHeartbeatInterval), o.SessionHeartbeatInterval);
        Positive(errors, nameof(o.SessionStaleAfter), o.SessionStaleAfter);
        Positive(errors, nameof(o.SessionRetention), o.SessionRetention);
        Positive(errors, nameof(o.SweepInterval), o.SweepInterval);
        Positive(errors, nameof(o.IdempotencyRetention), o.IdempotencyRetention);
        Positive(errors, nameof(o.SchedulerInterval), o.SchedulerInterval);
        Positive(errors, nameof(o.WriteTimeout), o.WriteTimeout);
        if (o.DatabaseConnectTimeout < TimeSpan.Zero)
        {
            errors.Add(Invalid(nameof(o.DatabaseConnectTimeout), o.DatabaseConnectTimeout, "must not be negative"));
        }
        Positive(errors, nameof(o.SubscriberQueueCapacity), o.SubscriberQueueCapacity);
        Positive(errors, nameof(o.SubscriberQueueBytes), o.SubscriberQueueBytes);
        Positive(errors, nameof(o.MaxLiveConnections), o.MaxLiveConnections);
        Positive(errors, nameof(o.MaxLiveConnectionsPerIp), o.MaxLiveConnectionsPerIp);
        Positive(errors, nameof(o.LiveMaxSubscriptions), o.LiveMaxSubscriptions);
        Positive(errors, nameof(o.LiveHeartbeat), o.LiveHeartbeat);
        Positive(errors, nameof(o.LiveListHistory), o.LiveListHistory);
        Positive(errors, nameof(o.SqliteCacheMiB), o.SqliteCacheMiB);
        Positive(errors, nameof(o.SqliteCheckpointPages), o.SqliteCheckpointPages);
        if (o.MaxLiveConnectionsPerIp > o.MaxLiveConnections)
        {
            errors.Add(Invalid(nameof(o.MaxLiveConnectionsPerIp), o.MaxLiveConnectionsPerIp, $"must not exceed MaxLiveConnections ({o.MaxLiveConnections})"));
        }
        if (!SynchronousModes.Contains(o.SqliteSynchronous?.ToUpperInvariant()))
        {
            errors.Add(Invalid(nameof(o.SqliteSynchronous), o.SqliteSynchronous, "must be OFF, NORMAL, FULL or EXTRA"));
        }
        if (string.IsNullOrWhiteSpace(o.NodeId))
        {
            errors.Add(Invalid(nameof(o.NodeId), o.NodeId, "must not be empty"));
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Positive(List<string> errors, string setting, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add(Invalid(setting, value, "must be greater than zero"));
        }
    }

    private static void Positive(List<string> errors, string setting, int value)
    {
        if (value <= 0)
        {
            errors.Add(Invalid(setting, value, "must be greater than zero"));
        }
    }

    private static string Invalid(string setting, object? value, string rule) =>
        string.Create(CultureInfo.InvariantCulture, $"Spectral:{setting}={value}: {rule}");
}
