using SpectralNotify.Access;
using SpectralNotify.Counters;
using SpectralNotify.Server.Wire;

namespace SpectralNotify.Server.Api.Compat;

/// <summary>
/// The reference's <c>counter/*</c> procedures (protocol §3.3), all protected (admin key here).
/// Errors keep the reference's declared codes <c>COUNTER_NOT_FOUND</c> / <c>COUNTER_OPERATION_FAILED</c>
/// with 404 / 409 instead of 500; a duplicate create is a 409 <c>CONFLICT</c>.
/// </summary>
public static class CounterProcedures
{
    private const string NamePattern = "/^[\\w-]+$/";

    public static IEnumerable<Procedure> All =>
    [
        new("counter/listAll", new(Resource.Counters, Operation.List), false, ListAll),
        new("counter/create", new(Resource.Counters, Operation.Write, "name"), false, Create),
        new("counter/getValue", new(Resource.Counters, Operation.Read, "name"), false, GetValue),
        new("counter/getMetadata", new(Resource.Counters, Operation.Read, "name"), false, GetMetadata),
        new("counter/increment", new(Resource.Counters, Operation.Write, "name"), false, c => Apply(c, f => f.Integer("amount", min: 0, exclusiveMin: true, fallback: 1) is { } n ? CounterOperation.IncrementBy(n) : null)),
        new("counter/decrement", new(Resource.Counters, Operation.Write, "name"), false, c => Apply(c, f => f.Integer("amount", min: 0, exclusiveMin: true, fallback: 1) is { } n ? CounterOperation.DecrementBy(n) : null)),
        new("counter/setValue", new(Resource.Counters, Operation.Write, "name"), false, c => Apply(c, f => f.Integer("value") is { } v ? CounterOperation.SetTo(v) : null)),
        new("counter/reset", new(Resource.Counters, Operation.Write, "name"), false, c => Apply(c, _ => CounterOperation.ResetToZero(), pattern: true)),
        new("counter/getHistory", new(Resource.Counters, Operation.Read, "name"), false, GetHistory),
        new("counter/delete", new(Resource.Counters, Operation.Delete, "name"), false, Delete),
    ];

    /// <summary><c>name</c>: 1..100 characters, and where the reference says so, <c>^[\w-]+$</c>.</summary>
    private static string? Name(Fields f, bool pattern)
    {
        var name = f.String("name", min: 1, max: 100);
        if (pattern && name is not null && !CounterRules.IsValidName(name))
        {
            f.Input.Add(ZodIssue.InvalidFormat(f.PathOf("name"), "regex", NamePattern, $"Invalid string: must match pattern {NamePattern}"));
            return null;
        }
        return name;
    }

    private static async Task<Output> ListAll(ProcedureCall c) =>
        Output.Registry("counters", "name", [.. (await c.Store.CounterListAsync(c.Ct)).Select(k => (k.Name, k.CreatedAt, k.CreatedBy))]);

    private static async Task<Output> Create(ProcedureCall c)
    {
        var name = Name(c.Input.Object(), pattern: true);
        c.Input.ThrowIfInvalid();
        await c.Counters.CreateAsync(name!, 0, c.Caller, c.Ct);
        return Output.Success("name", name!);
    }

    /// <summary>The reference answers 0 for a counter that does not exist, so this does too.</summary>
    private static async Task<Output> GetValue(ProcedureCall c)
    {
        var name = Name(c.Input.Object(), pattern: true);
        c.Input.ThrowIfInvalid();
        var counter = await c.Store.CounterGetAsync(name!, c.Ct);
        return Output.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("name", name);
            w.WriteNumber("value", counter?.Value ?? 0);
            w.WriteEndObject();
        });
    }

    private static async Task<Output> GetMetadata(ProcedureCall c)
    {
        var name = Name(c.Input.Object(), pattern: true);
        c.Input.ThrowIfInvalid();
        var counter = await c.Store.CounterGetAsync(name!, c.Ct) ?? throw new CounterNotFoundException(name!);
        return Output.Write(w => ReferenceRows.CounterMetadata(w, counter));
    }

    /// <summary><c>{"name","value","metadata":CounterMetadata,"latestHistory":CounterHistory[≤5]}</c>.</summary>
    private static async Task<Output> Apply(ProcedureCall c, Func<Fields, CounterOperation?> read, bool pattern = false)
    {
        var f = c.Input.Object();
        var name = Name(f, pattern);
        var op = read(f);
        c.Input.ThrowIfInvalid();
        var change = await c.Counters.ApplyAsync(name!, op!, c.Ct);
        var history = await LatestAsync(c, name!, change.Entry.Seq, 5);
        return Output.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("name", change.Counter.Name);
            w.WriteNumber("value", change.Counter.Value);
            w.WritePropertyName("metadata");
            ReferenceRows.CounterMetadata(w, change.Counter);
            w.WriteStartArray("latestHistory");
            foreach (var e in history)
            {
                ReferenceRows.CounterHistory(w, e);
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static async Task<Output> GetHistory(ProcedureCall c)
    {
        var f = c.Input.Object();
        var name = Name(f, pattern: false);
        var limit = CompatFields.Limit(f);
        c.Input.ThrowIfInvalid();
        var counter = await c.Store.CounterGetAsync(name!, c.Ct);
        var history = counter is null ? [] : await LatestAsync(c, name!, counter.LastSeq, limit);
        return Output.Array(history, ReferenceRows.CounterHistory);
    }

    private static async Task<Output> Delete(ProcedureCall c)
    {
        var name = Name(c.Input.Object(), pattern: true);
        c.Input.ThrowIfInvalid();
        await c.Counters.DeleteAsync(name!, c.Ct);
        return Output.Success("name", name!);
    }

    /// <summary>The newest operations up to <paramref name="throughSeq"/>, newest first; the creation entry (seq 1) is not one.</summary>
    private static async Task<IReadOnlyList<CounterHistoryEntry>> LatestAsync(ProcedureCall c, string name, long throughSeq, int count)
    {
        var entries = await c.Store.CounterHistoryListAsync(name, Math.Max(1, throughSeq - count), count, c.Ct);
        return [.. entries.Where(e => e.Seq <= throughSeq && e.Operation != CounterOperation.Create).Reverse()];
    }
}
