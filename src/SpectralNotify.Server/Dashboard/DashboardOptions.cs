namespace SpectralNotify.Server.Dashboard;

/// <summary>The dashboard at <c>/ui</c>, bound from the <c>Dashboard</c> configuration section.</summary>
public sealed class DashboardOptions
{
    /// <summary>Serve the dashboard and its sign-in routes. Defaults to true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Lifetime of a signed-in session's cookie; the open tab renews it at half-life, so a closed tab's
    /// session ends within this time. 1 minute to 24 hours. Defaults to 15 minutes.
    /// </summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromMinutes(15);
}
