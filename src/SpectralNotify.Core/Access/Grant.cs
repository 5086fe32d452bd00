using System.Diagnostics.CodeAnalysis;

namespace SpectralNotify.Access;

/// <summary>
/// One token scope: <c>read:tasks:&lt;id&gt;</c>, <c>read:workflows:&lt;id&gt;</c>,
/// <c>read:counters:&lt;name&gt;</c>, <c>read:runs:&lt;id&gt;</c>, <c>read:jobs:&lt;id&gt;</c> (the job and
/// all its runs), <c>read:&lt;kind&gt;:*</c> (every entity of a kind, listing included), and
/// <c>write:tasks:&lt;id&gt;</c> (progress and events of one task, nothing else).
/// </summary>
public sealed record Grant(Operation Action, Resource Resource, string Id)
{
    public const string Any = "*";
    public const int MaxIdLength = 200;

    private static readonly Dictionary<string, Resource> Kinds = new(StringComparer.Ordinal)
    {
        ["tasks"] = Resource.Tasks,
        ["workflows"] = Resource.Workflows,
        ["counters"] = Resource.Counters,
        ["runs"] = Resource.Runs,
        ["jobs"] = Resource.Jobs,
    };

    public bool IsWildcard => Id == Any;

    /// <summary>Whether this grant allows <paramref name="operation"/> on <paramref name="resource"/>/<paramref name="id"/>.</summary>
    public bool Covers(Resource resource, Operation operation, string? id, string? jobOfRun = null)
    {
        if (Action == Operation.Report)
        {
            return resource == Resource.Tasks && operation == Operation.Report && id == Id;
        }
        if (operation is not (Operation.Read or Operation.List))
        {
            return false;
        }
        if (Resource == resource)
        {
            return IsWildcard || (operation == Operation.Read && id == Id);
        }
        // A job grant reads the job's runs (one by one, and the job's run list, which is a read of the job).
        return Resource == Resource.Jobs && resource == Resource.Runs && operation == Operation.Read
            && jobOfRun is not null && (IsWildcard || jobOfRun == Id);
    }

    /// <summary>Whether this grant needs no more than <paramref name="level"/> (what a key may put in a token).</summary>
    public bool WithinLevel(Level level) => level >= (Action == Operation.Report ? Level.Write : Level.Read);

    public override string ToString() =>
        $"{(Action == Operation.Report ? "write" : "read")}:{Kinds.First(k => k.Value == Resource).Key}:{Id}";

    /// <summary>Parses one scope string; <paramref name="error"/> says what is wrong.</summary>
    public static bool TryParse(string? scope, [NotNullWhen(true)] out Grant? grant, [NotNullWhen(false)] out string? error)
    {
        grant = null;
        var parts = (scope ?? "").Split(':', 3);
        if (parts.Length != 3 || !Kinds.TryGetValue(parts[1], out var resource))
        {
            error = $"'{scope}' is not a scope (use read:<tasks|workflows|counters|runs|jobs>:<id or *> or write:tasks:<id>)";
            return false;
        }
        var id = parts[2];
        if (id.Length is 0 or > MaxIdLength || id.Any(char.IsControl))
        {
            error = $"'{scope}': the id must be 1 to {MaxIdLength} characters without control characters";
            return false;
        }
        switch (parts[0])
        {
            case "read":
                grant = new Grant(Operation.Read, resource, id);
                break;
            case "write" when resource == Resource.Tasks && id != Any:
                grant = new Grant(Operation.Report, resource, id);
                break;
            default:
                error = $"'{scope}': only write:tasks:<id> writes (progress and events of one task)";
                return false;
        }
        error = null;
        return true;
    }
}
