using Microsoft.Extensions.Configuration.Json;
using SpectralNotify.Server.Hosting;

namespace SpectralNotify.Tests.Hosting;

/// <summary>
/// appsettings.json is not watched by default: the watch covers the working directory recursively,
/// where ./data holds the SQLite database, and turned every database write into a file-system event.
/// </summary>
public sealed class ConfigReloadTests
{
    [Fact]
    public async Task Appsettings_files_are_read_once_by_default()
    {
        await using var app = SpectralApp.Build(["--urls", "http://127.0.0.1:0"]);
        var sources = JsonSources(app);
        Assert.NotEmpty(sources);
        Assert.All(sources, s => Assert.False(s.ReloadOnChange, s.Path));
    }

    [Fact]
    public async Task A_later_argument_turns_reload_back_on()
    {
        await using var app = SpectralApp.Build(["--urls", "http://127.0.0.1:0", "--hostBuilder:reloadConfigOnChange=true"]);
        var sources = JsonSources(app);
        Assert.NotEmpty(sources);
        Assert.All(sources, s => Assert.True(s.ReloadOnChange, s.Path));
    }

    private static List<JsonConfigurationSource> JsonSources(WebApplication app) =>
        [.. ((IConfigurationBuilder)app.Configuration).Sources.OfType<JsonConfigurationSource>()];
}
