namespace SpectralNotify.Lists;

/// <summary>What a live filtered list holds. Wire names are the protocol-v2 topics (<c>tasks</c>, <c>runs</c>, <c>workflows</c>).</summary>
public enum ListKind
{
    Tasks,
    Runs,
    Workflows,
}

/// <summary>Conversions between <see cref="ListKind"/> and its wire name.</summary>
public static class ListKindNames
{
    public static string ToWire(this ListKind kind) => kind switch
    {
        ListKind.Tasks => "tasks",
        ListKind.Runs => "runs",
        ListKind.Workflows => "workflows",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static bool TryParse(string? wire, out ListKind kind)
    {
        switch (wire)
        {
            case "tasks": kind = ListKind.Tasks; return true;
            case "runs": kind = ListKind.Runs; return true;
            case "workflows": kind = ListKind.Workflows; return true;
            default: kind = default; return false;
        }
    }
}
