using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.Json;
using SpectralNotify.Keys;
using SpectralNotify.Server.Api.V1.Contracts;
using SpectralNotify.Server.Auth;

namespace SpectralNotify.Cli;

/// <summary>
/// <c>spectral keys create|list|revoke</c>: database API keys, managed against the database in
/// <c>SPECTRAL_DATABASE</c> (or <c>--database</c>) without a running server, like <c>spectral migrate</c>.
/// On PostgreSQL it works beside running servers (each reads keys per request, so a revocation holds
/// at once); on SQLite it takes the file's process lock, so it is refused while a server uses the
/// file (use the server's <c>/api/v1/keys</c> then). Exit codes: 0 done, 1 error (one line on
/// stderr), 2 usage error.
/// </summary>
public static class KeysCommand
{
    private const string WhileServerRuns = "manage keys through its /api/v1/keys";

    public static Command Create()
    {
        var database = DatabaseOption.Create();
        var keys = new Command("keys", "Create, list or revoke the API keys kept in the database.");
        keys.Options.Add(database);

        var name = new Option<string>("--name") { Description = "A name unique among the keys (1 to 100 characters).", Required = true };
        var scope = new Option<string[]>("--scope") { Description = "read, write or admin; repeat for several.", Required = true };
        scope.AcceptOnlyFromAmong([.. Scopes.All]);
        var expires = new Option<DateTimeOffset?>("--expires")
        {
            Description = "When the key stops working: a lifetime (90m, 12h, 30d, 2w) or an ISO-8601 time. Never by default.",
            CustomParser = ParseExpiry,
        };
        var create = new Command("create", "Create a key; prints its secret once (text: the secret alone on stdout, the rest on stderr).")
        {
            name, scope, expires,
        };
        create.SetAction((p, ct) => StoreVerb.RunAsync(p, database, WhileServerRuns, async (store, _) =>
        {
            var errors = new List<string>();
            var requested = p.GetRequiredValue(scope);
            ApiKeyIssuer.Validate(p.GetValue(name), requested, p.GetValue(expires), DateTimeOffset.UtcNow, (field, rule) => errors.Add($"{Flag(field)}: {rule}"));
            if (errors.Count > 0)
            {
                await Console.Error.WriteLineAsync($"error: {string.Join("; ", errors)}");
                return StoreVerb.UsageExitCode;
            }
            var (key, secret) = await ApiKeyIssuer.IssueAsync(store, ConfiguredNames(), p.GetRequiredValue(name), requested, p.GetValue(expires), ct);
            if (StoreVerb.WantsJson(p))
            {
                Console.WriteLine(JsonSerializer.Serialize(CreatedKeyDto.From(key, secret), Json));
                return 0;
            }
            await Console.Error.WriteLineAsync(
                $"Created API key {key.Id} '{key.Name}' (scopes {string.Join(' ', key.Scopes)}; expires {Time(key.ExpiresAt, "never")}). Its secret, shown only this once:");
            Console.WriteLine(secret);
            return 0;
        }));

        var list = new Command("list", "List the database keys (never their secrets), revoked and expired ones included.");
        list.SetAction((p, ct) => StoreVerb.RunAsync(p, database, WhileServerRuns, async (store, _) =>
        {
            var all = await store.ApiKeyListAsync(ct);
            if (StoreVerb.WantsJson(p))
            {
                Console.WriteLine(JsonSerializer.Serialize(all.Select(KeyDto.From), Json));
                return 0;
            }
            var now = DateTimeOffset.UtcNow;
            Console.WriteLine("ID\tNAME\tSCOPES\tSTATE\tCREATED\tEXPIRES\tLAST-USED");
            foreach (var k in all)
            {
                var state = k.RevokedAt is not null ? "revoked" : k.IsUsableAt(now) ? "active" : "expired";
                Console.WriteLine($"{k.Id}\t{k.Name}\t{string.Join(',', k.Scopes)}\t{state}\t{Time(k.CreatedAt, "")}\t{Time(k.ExpiresAt, "never")}\t{Time(k.LastUsedAt, "never")}");
            }
            return 0;
        }));

        var id = new Argument<string>("id") { Description = "The key's id (key_…), as listed." };
        var revoke = new Command("revoke", "Revoke a key: it fails from the next request on, on every node.") { id };
        revoke.SetAction((p, ct) => StoreVerb.RunAsync(p, database, WhileServerRuns, async (store, _) =>
        {
            var keyId = p.GetRequiredValue(id);
            if (keyId.StartsWith("cfg_", StringComparison.Ordinal))
            {
                throw new ApiKeyConfiguredException(keyId, "a configured key");
            }
            var key = await store.ApiKeyRevokeAsync(keyId, ct);
            Console.WriteLine($"revoked {key.Id} '{key.Name}' at {Time(key.RevokedAt, "")}");
            return 0;
        }));

        keys.Subcommands.Add(create);
        keys.Subcommands.Add(list);
        keys.Subcommands.Add(revoke);
        return keys;
    }

    /// <summary>
    /// Names a database key may not take: the admin key's and those of <c>Auth:Keys</c> as the server
    /// would read them here (environment and ./appsettings.json). The API checks the running server's own.
    /// </summary>
    private static IEnumerable<string> ConfiguredNames()
    {
        var options = StoreVerb.Configuration().GetSection("Auth").Get<ApiKeyOptions>() ?? new ApiKeyOptions();
        // Same default names as ApiKeyRing.Create.
        return ["admin", .. options.Keys.Select((k, i) => k.Name ?? $"key{i}")];
    }

    private static string Flag(string field) => field switch
    {
        "name" => "--name",
        "scopes" => "--scope",
        "expiresAt" => "--expires",
        _ => field,
    };

    private static DateTimeOffset? ParseExpiry(ArgumentResult result)
    {
        var text = result.Tokens[0].Value.Trim();
        if (text.Length > 1 && long.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            TimeSpan? unit = char.ToLowerInvariant(text[^1]) switch
            {
                'm' => TimeSpan.FromMinutes(1),
                'h' => TimeSpan.FromHours(1),
                'd' => TimeSpan.FromDays(1),
                'w' => TimeSpan.FromDays(7),
                _ => null,
            };
            if (unit is { } u && n > 0 && n <= ApiKeyIssuer.MaxLifetime / u)
            {
                return DateTimeOffset.UtcNow + u * n;
            }
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return at;
        }
        result.AddError($"--expires '{text}' is neither a lifetime (90m, 12h, 30d, 2w, at most {ApiKeyIssuer.MaxLifetime.TotalDays:0} days) nor an ISO-8601 time");
        return null;
    }

    private static string Time(DateTimeOffset? t, string none) => StoreVerb.Time(t, none);

    private static JsonSerializerOptions Json => StoreVerb.Json;
}
