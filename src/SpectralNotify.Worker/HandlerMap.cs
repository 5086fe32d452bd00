namespace SpectralNotify.Worker;

/// <summary>Handler classes by run type, filled by <see cref="SpectralWorkerBuilder.AddHandler{THandler}"/>; the claim asks for exactly these types.</summary>
internal sealed class HandlerMap
{
    private readonly Dictionary<string, Type> _byType = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Types => [.. _byType.Keys];

    public void Add(string type, Type handler)
    {
        if (!_byType.TryAdd(type, handler))
        {
            throw new InvalidOperationException($"A handler for run type '{type}' is already registered ({_byType[type].Name}).");
        }
    }

    public bool TryGet(string type, out Type handler) => _byType.TryGetValue(type, out handler!);
}
