namespace SpectralNotify.Client.Live;

/// <summary>Which rows a live list holds and where it resumes.</summary>
public sealed record LiveListOptions
{
    /// <summary>The filter (fields combine with AND); null for every row.</summary>
    public ListFilter? Filter { get; init; }

    /// <summary>At most this many rows, 1 to 200; null for the server's default (50).</summary>
    public int? Limit { get; init; }

    /// <summary>Resume from a cursor kept from an earlier watch (<see cref="LiveListChange{TRow}.Cursor"/>).</summary>
    public string? Cursor { get; init; }
}

/// <summary>The filter of a live list (docs/realtime.md, "Live filtered lists"); unset fields match everything.</summary>
public sealed record ListFilter
{
    /// <summary>Task or workflow statuses (<c>pending</c>, <c>in-progress</c>, <c>success</c>, <c>failed</c>, <c>canceled</c>); a run's is its task's.</summary>
    public IReadOnlyList<string>? Status { get; init; }

    /// <summary>Run states (<c>pending</c>, <c>reserved</c>, <c>running</c>, <c>done</c>); runs only.</summary>
    public IReadOnlyList<string>? State { get; init; }

    /// <summary>Exact type (tasks and runs).</summary>
    public string? Type { get; init; }

    /// <summary>Exact queue (runs).</summary>
    public string? Queue { get; init; }

    /// <summary>Runs of this job.</summary>
    public string? JobId { get; init; }

    /// <summary>Tasks of this workflow.</summary>
    public string? WorkflowId { get; init; }

    /// <summary>Top-level metadata pairs that must all be equal (values: string, number or boolean).</summary>
    public IReadOnlyDictionary<string, object>? Metadata { get; init; }

    /// <summary>Created strictly after this instant.</summary>
    public DateTimeOffset? CreatedAfter { get; init; }

    /// <summary>Created strictly before this instant.</summary>
    public DateTimeOffset? CreatedBefore { get; init; }
}
