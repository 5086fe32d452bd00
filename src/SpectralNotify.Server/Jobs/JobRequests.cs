using System.Globalization;
using System.Text;
using System.Text.Json;
using SpectralNotify.Jobs;
using SpectralNotify.Server.Api.V1;

namespace SpectralNotify.Server.Jobs;

/// <summary>Checks job and run request fields, naming each broken rule (RFC 9457 <c>errors</c>).</summary>
public static class JobRequests
{
    public const int MaxPriority = 100;
    public const int MaxRetriesLimit = 100;
    public const int MaxTimeoutSeconds = 7 * 86400;
    public const int MaxRunsPerRequest = 10_000;

    /// <summary>Any JSON value up to 64 KiB; <c>{}</c> when absent.</summary>
    public static string Payload(RequestErrors errors, string field, JsonElement? value) => errors.JsonValue(field, value) ?? "{}";

    public static string Queue(RequestErrors errors, string? queue)
    {
        errors.Text("queue", queue, Limits.MaxTypeLength);
        if (queue is { Length: 0 })
        {
            errors.Add("queue", "must not be empty");
        }
        return queue ?? "default";
    }

    public static void Range(RequestErrors errors, string field, int? value, int min, int max)
    {
        if (value is { } v && (v < min || v > max))
        {
            errors.Add(field, $"must be a whole number from {min} to {max}");
        }
    }

    /// <summary>
    /// <c>{"cron": "…", "timezone": "…"}</c>, <c>{"intervalSeconds": n}</c> or <c>{"at": iso}</c>; null for
    /// absent or JSON null (a manual job).
    /// </summary>
    public static JobSchedule? Schedule(RequestErrors errors, JsonElement value)
    {
        if (value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add("schedule", "must be an object: {\"cron\",\"timezone\"}, {\"intervalSeconds\"} or {\"at\"}");
            return null;
        }
        var schedule = new JobSchedule();
        foreach (var p in value.EnumerateObject())
        {
            switch (p.Name)
            {
                case "cron" when p.Value.ValueKind == JsonValueKind.String:
                    schedule = schedule with { Cron = p.Value.GetString() };
                    break;
                case "timezone" when p.Value.ValueKind == JsonValueKind.String:
                    schedule = schedule with { TimeZone = p.Value.GetString() };
                    break;
                case "intervalSeconds" when p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetInt32(out var n):
                    schedule = schedule with { IntervalSeconds = n };
                    break;
                case "at" when p.Value.ValueKind == JsonValueKind.String
                               && DateTimeOffset.TryParse(p.Value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at):
                    schedule = schedule with { At = at };
                    break;
                default:
                    errors.Add($"schedule.{p.Name}", p.Name is "cron" or "timezone" or "intervalSeconds" or "at"
                        ? "has the wrong type (cron and timezone are strings, intervalSeconds a whole number, at an ISO-8601 time)"
                        : "is not a schedule field (cron, timezone, intervalSeconds, at)");
                    return null;
            }
        }
        errors.Text("schedule.cron", schedule.Cron, Limits.MaxTypeLength);
        errors.Text("schedule.timezone", schedule.TimeZone, Limits.MaxTypeLength);
        if (errors.Any)
        {
            return null;
        }
        if (QuartzScheduleMath.Validate(schedule) is { } problem)
        {
            errors.Add("schedule", problem);
            return null;
        }
        return schedule;
    }

    /// <summary>A run to enqueue, from POST /api/v1/runs (field names prefixed with <paramref name="prefix"/>).</summary>
    public static NewRun? Run(RequestErrors errors, Api.V1.Contracts.EnqueueRunRequest? r, string prefix, string? createdBy)
    {
        var e = new RequestErrors(prefix);
        if (r is null)
        {
            e.Add("", "must be an object");
            errors.Merge(e);
            return null;
        }
        if (r.Id is not null)
        {
            e.Id("id", r.Id, required: true);
        }
        e.Text("type", r.Type, Limits.MaxTypeLength, required: true);
        var payload = Payload(e, "payload", r.Payload);
        var queue = Queue(e, r.Queue);
        Range(e, "priority", r.Priority, 0, MaxPriority);
        Range(e, "maxRetries", r.MaxRetries, 0, MaxRetriesLimit);
        Range(e, "timeoutSeconds", r.TimeoutSeconds, 1, MaxTimeoutSeconds);
        e.Text("uniqueKey", r.UniqueKey, Limits.MaxIdLength);
        if (r.DependsOn is { Count: > 100 })
        {
            e.Add("dependsOn", "must list at most 100 runs");
        }
        foreach (var (dependency, i) in (r.DependsOn ?? []).Select((d, i) => (d, i)))
        {
            e.Id($"dependsOn[{i}]", dependency, required: true);
        }
        errors.Merge(e);
        return e.Any ? null : new NewRun
        {
            Id = r.Id, Type = r.Type!, Payload = payload, Queue = queue, Priority = r.Priority ?? 50, MaxRetries = r.MaxRetries ?? 3,
            TimeoutSeconds = r.TimeoutSeconds, RunAt = r.RunAt, UniqueKey = r.UniqueKey, CreatedBy = createdBy,
            ExpiresAt = r.ExpiresAt, DependsOn = r.DependsOn,
        };
    }
}
