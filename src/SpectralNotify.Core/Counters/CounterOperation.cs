namespace SpectralNotify.Counters;

/// <summary>An operation to apply: <c>increment</c>/<c>decrement</c> by <see cref="Amount"/>, <c>set</c> to it, or <c>reset</c> to 0.</summary>
public sealed record CounterOperation(string Op, long Amount)
{
    public const string Create = "create";
    public const string Increment = "increment";
    public const string Decrement = "decrement";
    public const string Set = "set";
    public const string Reset = "reset";

    public static CounterOperation IncrementBy(long n) => new(Increment, n);
    public static CounterOperation DecrementBy(long n) => new(Decrement, n);
    public static CounterOperation SetTo(long v) => new(Set, v);
    public static CounterOperation ResetToZero() => new(Reset, 0);
}
