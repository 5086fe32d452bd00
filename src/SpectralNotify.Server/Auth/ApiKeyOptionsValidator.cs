using Microsoft.Extensions.Options;
using SpectralNotify.Server.Hosting;

namespace SpectralNotify.Server.Auth;

/// <summary>
/// Checks the configured keys at start: each is at least <see cref="ApiKeyOptions.MinKeyLength"/>
/// characters and grants a known scope, and so is <c>SPECTRAL_API_KEY</c> when set. Errors show a
/// key only by its length.
/// </summary>
public sealed class ApiKeyOptionsValidator(IConfiguration config) : IValidateOptions<ApiKeyOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiKeyOptions options)
    {
        var errors = new List<string>();
        foreach (var setting in ApiKeyRing.AdminKeySettings)
        {
            var admin = config[setting];
            if (!string.IsNullOrWhiteSpace(admin) && admin.Trim().Length < ApiKeyOptions.MinKeyLength)
            {
                errors.Add(TooShort(setting, admin.Trim()));
            }
        }
        for (var i = 0; i < options.Keys.Count; i++)
        {
            var k = options.Keys[i];
            if (k.Key.Length < ApiKeyOptions.MinKeyLength)
            {
                errors.Add(TooShort($"Auth:Keys:{i}:Key", k.Key));
            }
            if (!k.Scopes.SelectMany(Scopes.Implied).Any())
            {
                errors.Add($"Auth:Keys:{i}:Scopes=[{string.Join(',', k.Scopes)}]: must include read, write or admin");
            }
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static string TooShort(string setting, string key) =>
        $"{setting}={Secrets.MaskKey(key)}: an API key needs at least {ApiKeyOptions.MinKeyLength} characters";
}
