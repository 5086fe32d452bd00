using Microsoft.AspNetCore.Authentication;
using SpectralNotify.Access;
using SpectralNotify.Storage;

namespace SpectralNotify.Server.Auth;

/// <summary>
/// <see cref="AccessRules"/> applied to an HTTP request, for the v1 routes (<see cref="AccessHandler"/>)
/// and the compatible surface alike. Presented credentials that do not authenticate are refused even
/// where an anonymous caller would be let in: a client holding an expired token must learn it, not
/// silently read as nobody.
/// </summary>
public sealed class HttpAccess(ApiKeyOptions options, IStore store)
{
    public async Task<Decision> DecideAsync(HttpContext http, Resource resource, Operation operation, string? id)
    {
        // The authentication middleware keeps only successful results, so this asks the default scheme
        // again; its handler caches the result per request, so nothing is checked twice.
        if (http.User.Identity?.IsAuthenticated != true && (await http.AuthenticateAsync()).Failure is not null)
        {
            return Decision.Unauthenticated;
        }
        var caller = http.User.ToCaller();
        string? jobOfRun = null;
        // The URL text check runs after authorization; an id PostgreSQL cannot store is no run's.
        if (id is not null && !id.Contains('\0', StringComparison.Ordinal) && AccessRules.NeedsJobOfRun(caller, resource))
        {
            jobOfRun = (await store.RunGetAsync(id, http.RequestAborted))?.JobId;
        }
        return AccessRules.Decide(caller, resource, operation, id, options.AnonymousReads, jobOfRun);
    }
}
