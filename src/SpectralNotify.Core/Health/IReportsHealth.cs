namespace SpectralNotify.Health;

/// <summary>A store with background components of its own (the SQLite writer loop), registered with the <see cref="HealthRegistry"/> at start.</summary>
public interface IReportsHealth
{
    IEnumerable<ComponentHealth> Components { get; }
}
