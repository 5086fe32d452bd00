namespace SpectralNotify.Tests.Infrastructure;

/// <summary>Files of the repository (scripts, examples) found from the test binaries' folder upwards.</summary>
public static class RepoFiles
{
    public static string Find(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException($"{relative} not found above {AppContext.BaseDirectory}");
    }
}
