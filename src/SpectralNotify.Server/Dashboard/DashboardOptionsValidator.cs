using Microsoft.Extensions.Options;

namespace SpectralNotify.Server.Dashboard;

/// <summary>Refuses at start a session lifetime outside what a token may last.</summary>
public sealed class DashboardOptionsValidator : IValidateOptions<DashboardOptions>
{
    public ValidateOptionsResult Validate(string? name, DashboardOptions options) =>
        options.SessionLifetime < TimeSpan.FromMinutes(1) || options.SessionLifetime > Auth.Tokens.TokenIssuer.MaxTtl
            ? ValidateOptionsResult.Fail($"Dashboard:SessionLifetime must be from 00:01:00 to 24:00:00 (is {options.SessionLifetime}).")
            : ValidateOptionsResult.Success;
}
