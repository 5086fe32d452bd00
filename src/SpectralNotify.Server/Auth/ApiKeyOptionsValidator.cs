using Microsoft.Extensions.Options;
using SpectralNotify.Server.Hosting;

namespace SpectralNotify.Server.Auth;

/// <summary>
/// Checks the configured keys at start: each is at least <see cref="ApiKeyOptions.MinKeyLength"/>
/// characters, grants a known scope and has a name no other key has, and so is
/// <c>SPECTRAL_API_KEY</c> when set. Errors show a key only by its length.
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
        if (config.GetSection("Auth:PublicReads").Value is { } publicReads)
        {
            errors.Add($"Auth:PublicReads={publicReads}: replaced by Auth:AnonymousReads (None, ById or All); anonymous reads are off unless set");
        }
        var names = new HashSet<string>(StringComparer.Ordinal) { "admin" };
        for (var i = 0; i < options.Keys.Count; i++)
        {
            var k = options.Keys[i];
            var keyName = ApiKeyRing.ConfiguredName(k, i);
            if (!names.Add(keyName))
            {
                // Names appear in logs and createdBy fields; two keys under one name could not be told apart.
                errors.Add($"Auth:Keys:{i}:Name={keyName}: another key already has this name");
            }
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
