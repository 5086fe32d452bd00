using SpectralNotify.Health;

namespace SpectralNotify.Server.Observability;

/// <summary>
/// Logs each component's transitions (a problem starts, it stops for good, it recovers) once, so an
/// outage shows as a few lines naming the component, not one line per failed pass.
/// </summary>
public sealed class HealthLog(HealthRegistry registry, ILogger<HealthLog> log) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        registry.ProblemChanged += OnChanged;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        registry.ProblemChanged -= OnChanged;
        return Task.CompletedTask;
    }

    private void OnChanged(ComponentHealth component, string? problem)
    {
        if (problem is null)
        {
            log.LogInformation("{Component} recovered", component.Name);
        }
        else if (component.Stopped)
        {
            log.LogCritical("{Component} stopped and will not continue until restart: {Problem}", component.Name, problem);
        }
        else
        {
            log.LogError("{Component} is failing (retrying with backoff): {Problem}", component.Name, problem);
        }
    }
}
