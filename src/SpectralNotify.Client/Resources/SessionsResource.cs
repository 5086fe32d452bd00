using SpectralNotify.Client.Internal;
using SpectralNotify.Client.Models;

namespace SpectralNotify.Client.Resources;

/// <summary><c>/api/v1/sessions</c>: live connections, who watches what on which node (admin).</summary>
public sealed class SessionsResource
{
    private readonly SpectralHttp http;

    internal SessionsResource(SpectralHttp http) => this.http = http;

    /// <summary>The sessions; <paramref name="active"/> true for open connections only; <paramref name="limit"/> 1–500 (100 when null).</summary>
    [ApiRouteName("sessions.list")]
    public async Task<IReadOnlyList<Session>> ListAsync(bool? active = null, int? limit = null, CancellationToken ct = default) =>
        (await http.CallAsync<Page<Session>>(ApiRoutes.SessionsList, ApiRoutes.SessionsList.Path() + new QueryString().Add("active", active).Add("limit", limit),
            null, null, ct).ConfigureAwait(false)).Data;
}
