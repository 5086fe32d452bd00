using SpectralNotify.Health;

namespace SpectralNotify.Server.Observability;

/// <summary>Per background component: up or not, when its last pass succeeded, how many passes failed.</summary>
internal static class ComponentMetrics
{
    /// <summary>Adds the component metrics to the host's registry; their values are read from <paramref name="health"/> at each scrape.</summary>
    public static void Publish(SpectralMetrics metrics, HealthRegistry health)
    {
        var up = metrics.Factory.CreateGauge("spectral_component_up",
            "1 while the background component works, 0 while it is failing or stopped.", "component");
        var lastSuccess = metrics.Factory.CreateGauge("spectral_component_last_success_timestamp_seconds",
            "Unix time of the component's last successful pass (0: none yet).", "component");
        var failures = metrics.Factory.CreateCounter("spectral_component_failures_total",
            "Failed passes of the component since start.", "component");
        metrics.Registry.AddBeforeCollectCallback(() =>
        {
            foreach (var c in health.All)
            {
                up.WithLabels(c.Name).Set(c.Problem is null ? 1 : 0);
                lastSuccess.WithLabels(c.Name).Set(c.LastSuccess is { } t ? t.ToUnixTimeMilliseconds() / 1000.0 : 0);
                // The registry counts the failures; IncTo copies its total and never moves the counter back.
                failures.WithLabels(c.Name).IncTo(c.Failures);
            }
        });
    }
}
