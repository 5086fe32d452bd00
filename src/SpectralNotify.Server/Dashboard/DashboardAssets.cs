using System.Reflection;

namespace SpectralNotify.Server.Dashboard;

/// <summary>
/// The built dashboard (<c>web/dist</c>), embedded in this assembly at build time as resources named
/// <c>ui/&lt;path&gt;</c> (see the BuildDashboard target in the project file), so the server serves it
/// without a folder beside it.
/// </summary>
public sealed class DashboardAssets
{
    private const string Root = "ui/";
    private readonly Assembly _assembly = typeof(DashboardAssets).Assembly;
    private readonly HashSet<string> _paths;

    public DashboardAssets()
    {
        // RecursiveDir uses the build machine's separator.
        _paths = _assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Root, StringComparison.Ordinal))
            .Select(n => n[Root.Length..].Replace('\\', '/'))
            .ToHashSet(StringComparer.Ordinal);
        Built = _paths.Contains("index.html");
    }

    /// <summary>Whether the dashboard was built into this assembly (the build needs Node.js).</summary>
    public bool Built { get; }

    /// <summary>The file at <paramref name="path"/> (relative to <c>/ui/</c>), or null.</summary>
    public Stream? Open(string path)
    {
        if (!_paths.Contains(path))
        {
            return null;
        }
        return _assembly.GetManifestResourceStream(Root + path)
            ?? _assembly.GetManifestResourceStream(Root + path.Replace('/', '\\'));
    }
}
