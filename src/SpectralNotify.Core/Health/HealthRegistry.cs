using System.Collections.Concurrent;

namespace SpectralNotify.Health;

/// <summary>Every background component of this process, by name (see <see cref="ComponentHealth"/>).</summary>
public sealed class HealthRegistry
{
    private readonly ConcurrentDictionary<string, ComponentHealth> _components = new(StringComparer.Ordinal);

    /// <summary>Any component's <see cref="ComponentHealth.ProblemChanged"/>, for one place that logs them.</summary>
    public event Action<ComponentHealth, string?>? ProblemChanged;

    /// <summary>The component called <paramref name="name"/>, registered on first use.</summary>
    public ComponentHealth Component(string name) => _components.GetOrAdd(name, n => Watch(new ComponentHealth(n)));

    /// <summary>Registers a component an engine created itself (e.g. the SQLite writer).</summary>
    public void Add(ComponentHealth component)
    {
        if (_components.TryAdd(component.Name, component))
        {
            Watch(component);
        }
    }

    /// <summary>All components, by name.</summary>
    public IReadOnlyList<ComponentHealth> All => [.. _components.Values.OrderBy(c => c.Name, StringComparer.Ordinal)];

    /// <summary>Components that are failing now or have stopped.</summary>
    public IReadOnlyList<ComponentHealth> Unhealthy => [.. All.Where(c => c.Problem is not null)];

    private ComponentHealth Watch(ComponentHealth component)
    {
        component.ProblemChanged += (c, problem) => ProblemChanged?.Invoke(c, problem);
        return component;
    }
}
