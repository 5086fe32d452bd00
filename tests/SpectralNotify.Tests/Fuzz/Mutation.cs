namespace SpectralNotify.Tests.Fuzz;

/// <summary>What a fuzz case changes in its template's valid request (one field, one header, or the whole body).</summary>
public abstract record Mutation;

/// <summary>The template's request as it is.</summary>
public sealed record Unchanged : Mutation
{
    public override string ToString() => "valid";
}

/// <summary>The value at the <paramref name="Slot"/>-th body position (object member or array item, modulo their count) becomes <paramref name="Value"/>.</summary>
public sealed record BodyValue(int Slot, Edge Value) : Mutation
{
    public override string ToString() => $"body value #{Slot} = {Value}";
}

/// <summary>The <paramref name="Slot"/>-th property name of the body becomes <paramref name="Key"/>.</summary>
public sealed record BodyKey(int Slot, Edge Key) : Mutation
{
    public override string ToString() => $"body key #{Slot} = {Key}";
}

/// <summary>The <paramref name="Slot"/>-th id in the path (or an extra segment) becomes <paramref name="Segment"/>, sent as is.</summary>
public sealed record PathId(int Slot, string Segment) : Mutation
{
    public override string ToString() => $"path id #{Slot} = {Preview(Segment)}";

    internal static string Preview(string s) => s.Length > 40 ? $"{s[..20]}…({s.Length} chars)" : s;
}

public sealed record QueryValue(string Name, string Value) : Mutation
{
    public override string ToString() => $"query {Name}={PathId.Preview(Value)}";
}

public sealed record Header(string Name, string Value) : Mutation
{
    public override string ToString() => $"header {Name}: {PathId.Preview(Value)}";
}

/// <summary>The body's Content-Type becomes <paramref name="Value"/> (none when null).</summary>
public sealed record ContentType(string? Value) : Mutation
{
    public override string ToString() => $"content type {Value ?? "(none)"}";
}

public sealed record WholeBody(Edge Body) : Mutation
{
    public override string ToString() => $"body = {Body}";
}
