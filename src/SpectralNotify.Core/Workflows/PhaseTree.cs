namespace SpectralNotify.Workflows;

/// <summary>
/// A workflow's phases indexed once: position by key, children by parent in
/// <see cref="WorkflowPhase.Order"/>, and each phase's effective progress (protocol §8) computed at
/// most once. Roll-up and the overall progress then cost O(n) per change instead of a scan of all
/// phases for every ancestor (audit finding 8).
/// </summary>
/// <remarks>
/// The tree reads the list it was built on, so a caller may replace phases in place as long as keys,
/// parents, order and weights stay: only leaves' progress feeds the effective progress, and a leaf
/// must be replaced before the first <see cref="ProgressOf"/> that depends on it (results are remembered).
/// </remarks>
internal sealed class PhaseTree
{
    // Validation rejects cycles; the bound only keeps a corrupt row set from recursing forever.
    private const int MaxRecursion = 64;
    private static readonly List<int> NoChildren = [];
    private readonly IReadOnlyList<WorkflowPhase> _phases;
    private readonly Dictionary<string, int> _indexOf;
    private readonly Dictionary<string, List<int>> _children;
    private readonly double?[] _progress;

    public PhaseTree(IReadOnlyList<WorkflowPhase> phases)
    {
        _phases = phases;
        _progress = new double?[phases.Count];
        _indexOf = new Dictionary<string, int>(phases.Count, StringComparer.Ordinal);
        _children = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < phases.Count; i++)
        {
            _indexOf.TryAdd(phases[i].Key, i);
        }
        Ordered = Enumerable.Range(0, phases.Count).OrderBy(i => phases[i].Order).ToArray();
        foreach (var i in Ordered)
        {
            var p = phases[i];
            if (!string.IsNullOrEmpty(p.ParentPhaseKey))
            {
                if (!_children.TryGetValue(p.ParentPhaseKey, out var list))
                {
                    _children[p.ParentPhaseKey] = list = [];
                }
                list.Add(i);
            }
        }
    }

    /// <summary>Indexes of all phases by <see cref="WorkflowPhase.Order"/>.</summary>
    public int[] Ordered { get; }

    /// <summary>The index of the first phase with <paramref name="key"/>.</summary>
    public bool TryIndexOf(string key, out int index) => _indexOf.TryGetValue(key, out index);

    /// <summary>Indexes of the phases whose parent key is <paramref name="key"/>, by order.</summary>
    public IReadOnlyList<int> ChildrenOf(string key) => _children.TryGetValue(key, out var list) ? list : NoChildren;

    /// <summary>The overall progress: the floor of the weighted sum over top-level phases.</summary>
    public int Overall()
    {
        var sum = 0.0;
        foreach (var i in Ordered)
        {
            if (string.IsNullOrEmpty(_phases[i].ParentPhaseKey))
            {
                sum += ProgressOf(i) * _phases[i].Weight;
            }
        }
        return (int)Math.Floor(sum);
    }

    /// <summary>A phase's effective progress: its own for a leaf, its children's weighted sum otherwise.</summary>
    public double ProgressOf(int index) => ProgressOf(index, 0);

    private double ProgressOf(int index, int depth)
    {
        if (_progress[index] is { } known)
        {
            return known;
        }
        var phase = _phases[index];
        if (!_children.TryGetValue(phase.Key, out var children) || depth > MaxRecursion)
        {
            return phase.Progress;
        }
        var sum = 0.0;
        foreach (var child in children)
        {
            sum += ProgressOf(child, depth + 1) * _phases[child].Weight;
        }
        _progress[index] = sum;
        return sum;
    }
}
