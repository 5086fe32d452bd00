using System.Text.Json;

namespace SpectralNotify.Jobs;

/// <summary>A schedule's stored form: <c>{"cron","timezone"}</c>, <c>{"intervalSeconds"}</c> or <c>{"at"}</c>, the shapes the API takes.</summary>
public static class JobScheduleJson
{
    public static string? Format(JobSchedule? s)
    {
        if (s is null)
        {
            return null;
        }
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            Write(w, s);
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static void Write(Utf8JsonWriter w, JobSchedule s)
    {
        w.WriteStartObject();
        if (s.Cron is not null)
        {
            w.WriteString("cron", s.Cron);
            w.WriteString("timezone", s.TimeZone ?? "UTC");
        }
        else if (s.IntervalSeconds is { } seconds)
        {
            w.WriteNumber("intervalSeconds", seconds);
        }
        else if (s.At is { } at)
        {
            w.WriteString("at", Clock.ToWire(at));
        }
        w.WriteEndObject();
    }

    public static JobSchedule? Parse(string? json)
    {
        if (json is null)
        {
            return null;
        }
        using var doc = JsonDocument.Parse(json);
        var o = doc.RootElement;
        return new JobSchedule
        {
            Cron = o.TryGetProperty("cron", out var c) ? c.GetString() : null,
            TimeZone = o.TryGetProperty("timezone", out var tz) ? tz.GetString() : null,
            IntervalSeconds = o.TryGetProperty("intervalSeconds", out var i) ? i.GetInt32() : null,
            At = o.TryGetProperty("at", out var a) ? a.GetDateTimeOffset() : null,
        };
    }
}
