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
    /// <summary>
    /// Runs per <c>POST /api/v1/runs</c>. One request is one transaction, and on SQLite it holds the
    /// single writer: 250 runs (each with 4 dependencies) took 40 to 110 ms on a loaded 2-core machine,
    /// 1,000 took 300 to 900 ms, 10,000 about 3 s, so larger enqueues are sent as several requests.
    /// </summary>
    public const int MaxRunsPerRequest = 250;

    /// <summary>Queues or types one claim may name, each of 1 to <see cref="Limits.MaxTypeLength"/> characters.</summary>
    public const int MaxClaimNames = 100;

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

    /// <summary>
    /// A claim's <c>queues</c> or <c>types</c>: at most <see cref="MaxClaimNames"/> names of 1 to
    /// <see cref="Limits.MaxTypeLength"/> characters without control characters, so a claim stays
    /// one small query.
    /// </summary>
    public static void Names(RequestErrors errors, string field, IReadOnlyList<string>? names)
    {
        if (names is null)
        {
            return;
        }
        if (names.Count > MaxClaimNames)
        {
            errors.Add(field, $"must list at most {MaxClaimNames} names");
            return;
        }
        for (var i = 0; i < names.Count; i++)
        {
            var name = names[i];
            if (name is null || name.Length is 0 or > Limits.MaxTypeLength)
            {
                errors.Add($"{field}[{i}]", $"must be 1 to {Limits.MaxTypeLength} characters");
            }
            else if (name.Any(char.IsControl))
            {
                errors.Add($"{field}[{i}]", "must not contain control characters (NUL included)");
            }
            else if (!RequestErrors.WellFormed(name))
            {
                errors.Add($"{field}[{i}]", "must be valid Unicode (no lone surrogates)");
            }
        }
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
