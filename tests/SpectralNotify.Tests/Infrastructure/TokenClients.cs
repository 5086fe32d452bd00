using System.Net.Http.Headers;
using Microsoft.IdentityModel.JsonWebTokens;

namespace SpectralNotify.Tests.Infrastructure;

/// <summary>Short-lived tokens in tests: minted through <c>POST /api/v1/tokens</c>, presented as a bearer.</summary>
public static class TokenClients
{
    /// <summary>Mints a token with <paramref name="scopesJson"/> (a JSON array) as the key of <paramref name="minter"/>.</summary>
    public static async Task<string> MintAsync(HttpClient minter, string scopesJson, int ttlSeconds = 900)
    {
        var r = await (await minter.PostJsonAsync("/api/v1/tokens", $$"""{"scopes":{{scopesJson}},"ttlSeconds":{{ttlSeconds}}}""")).ExpectAsync(201);
        return r.GetProperty("token").GetString()!;
    }

    /// <summary>A client of <paramref name="host"/> that presents <paramref name="token"/> as <c>Authorization: Bearer</c> and no API key.</summary>
    public static HttpClient Bearer(TestHost host, string token)
    {
        var client = host.Client(null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>The id of the signing key that signed <paramref name="token"/> (its header's <c>kid</c>).</summary>
    public static string Kid(string token) => new JsonWebToken(token).Kid;
}
