namespace SpectralNotify.Counters;

/// <summary>What each counter operation does; stores call it inside their write transaction.</summary>
public static class CounterRules
{
    /// <summary>One or more of A-Z, a-z, 0-9, '_' and '-' (the reference's <c>^[\w-]+$</c>).</summary>
    public static bool IsValidName(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

    public static CounterChange Create(string name, long value, string? createdBy, DateTimeOffset now)
    {
        now = Clock.Truncate(now);
        var counter = new Counter
        {
            Name = name, Value = value, CreatedAt = now, UpdatedAt = now, OperationCount = 0, CreatedBy = createdBy, LastSeq = 1,
        };
        return new CounterChange(counter, new CounterHistoryEntry
        {
            Name = name, Seq = 1, Operation = CounterOperation.Create, PreviousValue = 0, NewValue = value, Timestamp = now,
        });
    }

    /// <exception cref="CounterOverflowException">The result does not fit in 64 bits.</exception>
    public static CounterChange Apply(Counter current, CounterOperation op, DateTimeOffset now)
    {
        now = Clock.Truncate(now);
        long next;
        try
        {
            next = op.Op switch
            {
                CounterOperation.Increment => checked(current.Value + op.Amount),
                CounterOperation.Decrement => checked(current.Value - op.Amount),
                CounterOperation.Set => op.Amount,
                CounterOperation.Reset => 0,
                _ => throw new ArgumentOutOfRangeException(nameof(op)),
            };
        }
        catch (OverflowException)
        {
            throw new CounterOverflowException(current.Name, current.Value, op);
        }
        var seq = current.LastSeq + 1;
        return new CounterChange(
            current with { Value = next, UpdatedAt = now, OperationCount = current.OperationCount + 1, LastSeq = seq },
            new CounterHistoryEntry
            {
                Name = current.Name, Seq = seq, Operation = op.Op, PreviousValue = current.Value, NewValue = next, Timestamp = now,
            });
    }
}

/// <summary>No counter with this name (404).</summary>
public sealed class CounterNotFoundException(string name) : Tasks.SpectralException($"Counter '{name}' does not exist.")
{
    public string Name { get; } = name;
}

/// <summary>A counter with this name exists (409).</summary>
public sealed class CounterAlreadyExistsException(string name) : Tasks.SpectralException($"Counter '{name}' already exists.")
{
    public string Name { get; } = name;
}

/// <summary>The operation would take the value outside 64 bits (409); nothing was written.</summary>
public sealed class CounterOverflowException(string name, long value, CounterOperation op)
    : Tasks.SpectralException($"Counter '{name}' is {value}; {op.Op} by {op.Amount} would overflow a 64-bit integer.")
{
    public string Name { get; } = name;
}
