namespace SpectralNotify.Client.Models;

/// <summary>A named 64-bit integer with a history of every operation (<c>/api/v1/counters/{name}</c>).</summary>
public sealed record Counter
{
    /// <summary>1–100 characters of <c>A-Z a-z 0-9 _ -</c>.</summary>
    public string Name { get; init; } = "";

    /// <summary>The current value.</summary>
    public long Value { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>How many operations it has had since its create.</summary>
    public long OperationCount { get; init; }

    /// <summary>The name of the key that created it.</summary>
    public string? CreatedBy { get; init; }

    /// <summary>The seq of its last history entry.</summary>
    public long LastSeq { get; init; }
}

/// <summary>One operation on a counter (<c>GET /api/v1/counters/{name}/history</c>).</summary>
public sealed record CounterHistoryEntry
{
    /// <summary>The counter.</summary>
    public string Name { get; init; } = "";

    /// <summary>1, 2, 3 … (the create is 1).</summary>
    public long Seq { get; init; }

    /// <summary><c>create</c>, <c>increment</c>, <c>decrement</c>, <c>set</c> or <c>reset</c>.</summary>
    public string Operation { get; init; } = "";

    /// <summary>The value before.</summary>
    public long PreviousValue { get; init; }

    /// <summary>The value after.</summary>
    public long NewValue { get; init; }

    /// <summary>When (server clock).</summary>
    public DateTimeOffset Timestamp { get; init; }
}

/// <summary><c>POST /api/v1/counters</c>.</summary>
public sealed record CreateCounterRequest
{
    /// <summary>Required: 1–100 characters of <c>A-Z a-z 0-9 _ -</c>.</summary>
    public string? Name { get; init; }

    /// <summary>The starting value; 0 when null.</summary>
    public long? Value { get; init; }
}
