using System.Net;
using SpectralNotify.Server.Hosting;

namespace SpectralNotify.Server.Realtime;

/// <summary>
/// Counts this node's live connections (WebSocket and SSE), in total and per client IP address,
/// against <see cref="SpectralOptions.MaxLiveConnections"/> and <see cref="SpectralOptions.MaxLiveConnectionsPerIp"/>.
/// A connection enters before it is accepted and leaves through its <see cref="Lease"/>, which the
/// endpoint disposes in a <c>finally</c>, so no failure path can keep a slot.
/// </summary>
public sealed class LiveConnectionGate(SpectralOptions options)
{
    private readonly Dictionary<IPAddress, int> _perIp = [];
    private readonly Lock _lock = new();
    private int _total;

    /// <summary>
    /// Kestrel's <c>MaxConcurrentUpgradedConnections</c> for the raw <c>Spectral:MaxLiveConnections</c>
    /// setting: the cap plus headroom (10 %, at least 100), because a WebSocket still closing keeps its
    /// Kestrel slot a moment after it left the gate, and the gate's 503 should be what refuses, not
    /// Kestrel. Read from the raw value because Kestrel's options are built before the start-up check
    /// validates <see cref="SpectralOptions"/>: a bad value leaves Kestrel unlimited here, and that
    /// check then stops the start naming the setting.
    /// </summary>
    public static long? KestrelUpgradedLimit(string? rawMaxLiveConnections)
    {
        var cap = rawMaxLiveConnections is null ? new SpectralOptions().MaxLiveConnections
            : int.TryParse(rawMaxLiveConnections, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0;
        return cap > 0 ? cap + Math.Max(100L, cap / 10) : null;
    }

    /// <summary>Live connections currently counted.</summary>
    public int Count => Volatile.Read(ref _total);

    /// <summary>A slot for a connection from <paramref name="ip"/>, or null (with the reason) when a cap is reached.</summary>
    public Lease? TryEnter(IPAddress? ip, out string? refused)
    {
        // A request without a remote address (a test server, a Unix socket) shares one bucket.
        var key = ip is null ? IPAddress.None : ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip;
        lock (_lock)
        {
            if (_total >= options.MaxLiveConnections)
            {
                refused = $"This server holds its maximum of {options.MaxLiveConnections} live connections.";
                return null;
            }
            var mine = _perIp.GetValueOrDefault(key);
            if (mine >= options.MaxLiveConnectionsPerIp)
            {
                refused = $"This address holds its maximum of {options.MaxLiveConnectionsPerIp} live connections.";
                return null;
            }
            _perIp[key] = mine + 1;
            _total++;
        }
        refused = null;
        return new Lease(this, key);
    }

    private void Leave(IPAddress key)
    {
        lock (_lock)
        {
            _total--;
            var left = _perIp[key] - 1;
            if (left == 0)
            {
                _perIp.Remove(key);
            }
            else
            {
                _perIp[key] = left;
            }
        }
    }

    /// <summary>One counted connection; disposing it (once) frees the slot.</summary>
    public sealed class Lease(LiveConnectionGate gate, IPAddress key) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                gate.Leave(key);
            }
        }
    }
}
