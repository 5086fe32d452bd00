using SpectralNotify.Jobs;

namespace SpectralNotify.Health;

/// <summary>
/// Rows a background pass could not handle, kept out of later passes for <see cref="Duration"/>:
/// one bad row is reported once and skipped, instead of failing every pass or being retried in a
/// hot loop. After the quarantine it is tried again (and reported again if it still fails).
/// </summary>
public sealed class Quarantine(TimeSpan duration)
{
    private readonly Dictionary<string, (PoisonRow Row, DateTimeOffset Until)> _rows = new(StringComparer.Ordinal);

    public TimeSpan Duration { get; } = duration;

    /// <summary>Rows in quarantine now (entity:id keys are not needed: ids of runs and jobs are checked against their own pass).</summary>
    public IReadOnlySet<string> Active(DateTimeOffset now)
    {
        lock (_rows)
        {
            foreach (var expired in _rows.Where(kv => kv.Value.Until <= now).Select(kv => kv.Key).ToList())
            {
                _rows.Remove(expired);
            }
            return _rows.Keys.ToHashSet(StringComparer.Ordinal);
        }
    }

    /// <summary>Adds the rows; returns those not already in quarantine (the ones to report).</summary>
    public IReadOnlyList<PoisonRow> Add(IEnumerable<PoisonRow> rows, DateTimeOffset now)
    {
        var added = new List<PoisonRow>();
        lock (_rows)
        {
            foreach (var row in rows)
            {
                if (_rows.TryAdd(row.Id, (row, now + Duration)))
                {
                    added.Add(row);
                }
            }
        }
        return added;
    }
}
