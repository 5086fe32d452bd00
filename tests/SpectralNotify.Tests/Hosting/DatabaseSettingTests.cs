using SpectralNotify.Server.Hosting;

namespace SpectralNotify.Tests.Hosting;

/// <summary>How SPECTRAL_DATABASE is read.</summary>
public sealed class DatabaseSettingTests
{
    [Theory]
    [InlineData(null, "sqlite", "./data/spectral.db")]
    [InlineData("", "sqlite", "./data/spectral.db")]
    [InlineData("sqlite:/var/lib/spectral/x.db", "sqlite", "/var/lib/spectral/x.db")]
    [InlineData("sqlite:relative/y.db", "sqlite", "relative/y.db")]
    [InlineData("Host=db;Database=spectral;Username=u", "postgres", "Host=db;Database=spectral;Username=u")]
    [InlineData("postgres://app:s%3Acret@db.internal:6543/spectral?sslmode=require",
        "postgres", "Host=db.internal;Port=6543;Database=spectral;Username=app;Password=s:cret;SSL Mode=require")]
    [InlineData("postgresql://db/spectral", "postgres", "Host=db;Port=5432;Database=spectral")]
    public void Parses_each_form(string? raw, string engine, string value)
    {
        var setting = DatabaseSetting.Parse(raw);
        Assert.Equal((engine, value), (setting.Engine, setting.Value));
    }

    [Theory]
    [InlineData("mysql://x/y")]
    [InlineData("sqlite:")]
    [InlineData("just-a-word")]
    public void Rejects_what_it_cannot_use_with_a_message(string raw)
    {
        var ex = Assert.Throws<ArgumentException>(() => DatabaseSetting.Parse(raw));
        Assert.Contains("sqlite:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Data_directory_is_the_sqlite_folder_or_dot_data()
    {
        Assert.Equal(Path.GetFullPath("/tmp/a"), DatabaseSetting.Parse("sqlite:/tmp/a/s.db").DataDirectory);
        Assert.Equal(Path.GetFullPath("./data"), DatabaseSetting.Parse("Host=h;Database=d").DataDirectory);
    }
}
