namespace SpectralNotify.Counters;

/// <summary>A named integer with a history of every operation; <see cref="LastSeq"/> numbers them 1, 2, 3 ….</summary>
public sealed record Counter
{
    public required string Name { get; init; }
    public long Value { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public long OperationCount { get; init; }
    public string? CreatedBy { get; init; }
    public long LastSeq { get; init; }
}

/// <summary>One operation on a counter.</summary>
public sealed record CounterHistoryEntry
{
    public required string Name { get; init; }
    public long Seq { get; init; }
    /// <summary>create, increment, decrement, set or reset.</summary>
    public required string Operation { get; init; }
    public long PreviousValue { get; init; }
    public long NewValue { get; init; }
    public DateTimeOffset Timestamp { get; init; }
}

/// <summary>A counter and the history entry its last operation wrote, committed together.</summary>
public sealed record CounterChange(Counter Counter, CounterHistoryEntry Entry);
