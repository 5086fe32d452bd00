using System.Globalization;
using Microsoft.Extensions.Options;

namespace SpectralNotify.Server.Jobs.Workers;

/// <summary>
/// The <c>Workers</c> configuration section, checked at start and then applied to
/// <see cref="WorkerOptions"/> (which code can extend with handlers and queues).
/// </summary>
public sealed class WorkerSettings
{
    /// <summary><c>Workers:Enabled=false</c>: this process claims nothing (an API-only node). Defaults to true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Lease taken per claim, in seconds. Defaults to 30.</summary>
    public int LeaseSeconds { get; set; } = 30;

    /// <summary>On shutdown, seconds running handlers may finish before they are cancelled. Defaults to 10.</summary>
    public int DrainSeconds { get; set; } = 10;

    /// <summary>Runs each queue may reserve beyond its concurrency (<see cref="WorkerOptions.Prefetch"/>). Defaults to 0.</summary>
    public int Prefetch { get; set; }

    /// <summary>
    /// <c>Workers:Queues:&lt;name&gt;=N</c>: in-process concurrency per queue. Defaults to <c>default=8</c>
    /// when empty. Strings, because the binder silently drops dictionary values it cannot convert.
    /// </summary>
    public Dictionary<string, string> Queues { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The concurrency of a queue setting, or null when it is not a positive integer.</summary>
    public static int? Concurrency(string? value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;

    public void ApplyTo(WorkerOptions options)
    {
        options.Enabled = Enabled;
        options.Lease = TimeSpan.FromSeconds(LeaseSeconds);
        options.DrainTimeout = TimeSpan.FromSeconds(DrainSeconds);
        options.Prefetch = Prefetch;
        foreach (var (queue, value) in Queues)
        {
            options.Queues[queue] = Concurrency(value) ?? throw new InvalidOperationException($"Workers:Queues:{queue} was not validated.");
        }
    }
}

/// <summary>Rejects worker settings that would stall or spin the in-process worker.</summary>
public sealed class WorkerSettingsValidator : IValidateOptions<WorkerSettings>
{
    public ValidateOptionsResult Validate(string? name, WorkerSettings s)
    {
        var errors = new List<string>();
        if (s.LeaseSeconds <= 0)
        {
            errors.Add(Invalid("LeaseSeconds", s.LeaseSeconds, "must be greater than zero"));
        }
        if (s.DrainSeconds < 0)
        {
            errors.Add(Invalid("DrainSeconds", s.DrainSeconds, "must not be negative"));
        }
        if (s.Prefetch < 0)
        {
            errors.Add(Invalid("Prefetch", s.Prefetch, "must not be negative"));
        }
        foreach (var (queue, value) in s.Queues)
        {
            if (WorkerSettings.Concurrency(value) is null)
            {
                errors.Add($"Workers:Queues:{queue}={value}: must be a whole number greater than zero");
            }
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static string Invalid(string setting, int value, string rule) =>
        string.Create(CultureInfo.InvariantCulture, $"Workers:{setting}={value}: {rule}");
}
