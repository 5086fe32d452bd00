using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using SpectralNotify.Access;
using SpectralNotify.Keys;
using SpectralNotify.Server.Api.V1.Contracts;
using SpectralNotify.Server.Auth;
using SpectralNotify.Server.Auth.Tokens;
using SpectralNotify.Server.Hosting;
using SpectralNotify.Storage;

namespace SpectralNotify.Cli;

/// <summary>
/// <c>spectral tokens mint|rotate</c>: short-lived tokens minted against the database in
/// <c>SPECTRAL_DATABASE</c> (or <c>--database</c>) without a running server. They are signed with the
/// servers' own <see cref="SigningKeys"/>, kept in the database, so every server accepts them, and
/// name a minting key like those of <c>POST /api/v1/tokens</c>: the admin key as the servers find it,
/// or <c>--key-id</c>. Exit codes and the SQLite process lock as for <see cref="KeysCommand"/>.
/// </summary>
public static class TokensCommand
{
    private const string WhileServerRuns = "mint tokens through its POST /api/v1/tokens";

    public static Command Create()
    {
        var database = DatabaseOption.Create();
        var tokens = new Command("tokens", "Mint short-lived scoped tokens, or rotate the key that signs them.");
        tokens.Options.Add(database);

        var scope = new Option<Grant[]>("--scope")
        {
            Description = "read:<tasks|workflows|counters|runs|jobs>:<id or *> or write:tasks:<id>; repeat for several.",
            Required = true,
            CustomParser = ParseScopes,
        };
        var ttl = new Option<TimeSpan?>("--ttl")
        {
            Description = $"How long the token works: 900, 900s, 15m or 1h; 15 minutes by default, at most {TokenIssuer.MaxTtl.TotalHours:0} h.",
            CustomParser = ParseTtl,
        };
        var keyId = new Option<string?>("--key-id")
        {
            Description = "The minting key the token names (key_… with write or admin scope, or a configured cfg_…); the admin key by default.",
        };
        var mint = new Command("mint", "Mint a token (text: the token alone on stdout, its expiry on stderr).") { scope, ttl, keyId };
        mint.SetAction((p, ct) => StoreVerb.RunAsync(p, database, WhileServerRuns, async (store, setting) =>
        {
            var minter = await MinterAsync(store, setting, p.GetValue(keyId), ct);
            var grants = p.GetRequiredValue(scope);
            var issuer = new TokenIssuer(Keys(store), TimeProvider.System);
            var minted = await issuer.MintAsync(minter.Id, grants, p.GetValue(ttl) ?? TokenIssuer.DefaultTtl, ct);
            var scopes = grants.Select(g => g.ToString()).ToList();
            if (StoreVerb.WantsJson(p))
            {
                Console.WriteLine(JsonSerializer.Serialize(new TokenDto(minted.Token, minted.ExpiresAt, scopes), StoreVerb.Json));
                return 0;
            }
            await Console.Error.WriteLineAsync(
                $"Minted a token for {string.Join(' ', scopes)} by key {minter.Id} '{minter.Name}'; it expires at {StoreVerb.Time(minted.ExpiresAt, "")}.");
            Console.WriteLine(minted.Token);
            return 0;
        }));

        var rotate = new Command("rotate", "Sign new tokens with a new key; tokens signed before stay valid until they expire.");
        rotate.SetAction((p, ct) => StoreVerb.RunAsync(p, database, WhileServerRuns, async (store, _) =>
        {
            var key = await Keys(store).RotateAsync(ct);
            Console.WriteLine($"rotated: {key.Kid} signs from now on (running servers switch within {SigningKeys.Refresh.TotalSeconds:0} s)");
            return 0;
        }));

        tokens.Subcommands.Add(mint);
        tokens.Subcommands.Add(rotate);
        return tokens;
    }

    private static SigningKeys Keys(IStore store) => new(store, TimeProvider.System, NullLogger<SigningKeys>.Instance);

    /// <summary>
    /// The key the token names, refused unless it may mint (<see cref="AccessRules.Needs"/> for tokens,
    /// as for <c>POST /api/v1/tokens</c>): a database key by its id, else a configured one, the admin key
    /// by default, found as a server started here would find it.
    /// </summary>
    /// <exception cref="InvalidOperationException">No such key, or it may not mint.</exception>
    private static async Task<KeyIdentity> MinterAsync(IStore store, DatabaseSetting setting, string? keyId, CancellationToken ct)
    {
        KeyIdentity minter;
        if (keyId is not null && !keyId.StartsWith("cfg_", StringComparison.Ordinal))
        {
            var stored = await store.ApiKeyGetAsync(keyId, ct) ?? throw new InvalidOperationException($"--key-id {keyId}: no database key has this id");
            if (!stored.IsUsableAt(DateTimeOffset.UtcNow))
            {
                var state = stored.RevokedAt is not null ? "revoked" : "expired";
                throw new InvalidOperationException($"--key-id {keyId}: key '{stored.Name}' is {state}, so its tokens would be refused");
            }
            minter = new KeyIdentity(stored.Id, stored.Name, [.. stored.Scopes]);
        }
        else
        {
            var config = StoreVerb.Configuration();
            var admin = ApiKeyRing.FindAdminKey(config, setting.DataDirectory) ?? throw new InvalidOperationException(
                $"no admin key here (SPECTRAL_API_KEY, SPECTRAL_NOTIFY_API_KEY or {Path.Combine(setting.DataDirectory, "admin.key")}): set the servers' admin key, or pass --key-id key_…");
            var ring = ApiKeyRing.FromKeys(admin, config.GetSection("Auth").Get<ApiKeyOptions>() ?? new ApiKeyOptions());
            var id = keyId ?? ApiKeySecrets.ConfiguredId(ApiKeySecrets.Hash(admin));
            minter = ring.FindById(id) ?? throw new InvalidOperationException(
                $"--key-id {keyId}: no configured key has this id here (the admin key and Auth:Keys, from the environment and ./appsettings.json)");
        }
        var needs = AccessRules.Needs(Resource.Tokens, Operation.Write);
        if (minter.Scopes.Select(Scopes.ToLevel).Max() is not { } level || level < needs)
        {
            throw new InvalidOperationException($"--key-id {minter.Id}: key '{minter.Name}' is read-only; minting a token needs a write or admin key");
        }
        return minter;
    }

    private static Grant[] ParseScopes(ArgumentResult result)
    {
        if (result.Tokens.Count > TokenIssuer.MaxScopes)
        {
            result.AddError($"--scope: at most {TokenIssuer.MaxScopes} scopes");
            return [];
        }
        var grants = new List<Grant>();
        foreach (var token in result.Tokens)
        {
            if (!Grant.TryParse(token.Value, out var grant, out var problem))
            {
                result.AddError($"--scope {problem}");
                return [];
            }
            grants.Add(grant);
        }
        return [.. grants.Distinct()];
    }

    /// <summary>Seconds (<c>900</c>, <c>900s</c>), minutes (<c>15m</c>) or hours (<c>1h</c>), from 1 s to <see cref="TokenIssuer.MaxTtl"/>.</summary>
    private static TimeSpan? ParseTtl(ArgumentResult result)
    {
        var text = result.Tokens[0].Value.Trim();
        var (digits, unit) = text.Length > 0 && char.IsAsciiLetter(text[^1])
            ? (text[..^1], char.ToLowerInvariant(text[^1]) switch
            {
                's' => TimeSpan.FromSeconds(1),
                'm' => TimeSpan.FromMinutes(1),
                'h' => TimeSpan.FromHours(1),
                _ => (TimeSpan?)null,
            })
            : (text, TimeSpan.FromSeconds(1));
        if (unit is not { } u || !long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
        {
            result.AddError($"--ttl '{text}' is not a lifetime (900, 900s, 15m or 1h)");
            return null;
        }
        if (n > TokenIssuer.MaxTtl / u)
        {
            result.AddError($"--ttl '{text}' is too long: a token lives at most {TokenIssuer.MaxTtl.TotalHours:0} h");
            return null;
        }
        return u * n;
    }
}
