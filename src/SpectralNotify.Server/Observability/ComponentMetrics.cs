using System.Globalization;
using System.Text;
using SpectralNotify.Health;

namespace SpectralNotify.Server.Observability;

/// <summary>Per background component: up or not, when its last pass succeeded, how many passes failed.</summary>
public static class ComponentMetrics
{
    public static string Render(IReadOnlyList<ComponentHealth> components)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# HELP spectral_component_up 1 while the background component works, 0 while it is failing or stopped.");
        sb.AppendLine("# TYPE spectral_component_up gauge");
        foreach (var c in components)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"spectral_component_up{{component=\"{c.Name}\"}} {(c.Problem is null ? 1 : 0)}");
        }
        sb.AppendLine("# HELP spectral_component_last_success_timestamp_seconds Unix time of the component's last successful pass (0: none yet).");
        sb.AppendLine("# TYPE spectral_component_last_success_timestamp_seconds gauge");
        foreach (var c in components)
        {
            var at = c.LastSuccess is { } t ? t.ToUnixTimeMilliseconds() / 1000.0 : 0;
            sb.AppendLine(CultureInfo.InvariantCulture, $"spectral_component_last_success_timestamp_seconds{{component=\"{c.Name}\"}} {at:0.###}");
        }
        sb.AppendLine("# HELP spectral_component_failures_total Failed passes of the component since start.");
        sb.AppendLine("# TYPE spectral_component_failures_total counter");
        foreach (var c in components)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"spectral_component_failures_total{{component=\"{c.Name}\"}} {c.Failures}");
        }
        return sb.ToString();
    }
}
