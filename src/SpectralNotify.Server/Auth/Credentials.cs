using Microsoft.AspNetCore.Authentication;

namespace SpectralNotify.Server.Auth;

public static class Credentials
{
    /// <summary>
    /// Whether the request carried a key or token that did not authenticate. The authentication
    /// middleware keeps only successful results, so this asks the default scheme again; its handler
    /// caches the result per request, so nothing is checked twice.
    /// </summary>
    public static async Task<bool> PresentedButInvalidAsync(HttpContext http) =>
        http.User.Identity?.IsAuthenticated != true && (await http.AuthenticateAsync()).Failure is not null;
}
