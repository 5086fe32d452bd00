namespace SpectralNotify.Tests.Infrastructure;

/// <summary>The storage engines every engine-parameterized test runs against.</summary>
public enum Engine
{
    Sqlite,
    Postgres,
}

public static class Engines
{
    /// <summary>For <c>[Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]</c>.</summary>
    public static TheoryData<Engine> All => new(Engine.Sqlite, Engine.Postgres);

    /// <summary>The PostgreSQL connection string for tests (<c>SPECTRAL_TEST_PG</c>), set by <c>scripts/test.sh</c>.</summary>
    public static string? PostgresConnectionString => Environment.GetEnvironmentVariable("SPECTRAL_TEST_PG");

    /// <summary>
    /// Skips a PostgreSQL test on a developer machine without PostgreSQL, saying why; fails it when
    /// <c>CI=true</c>, because a skipped engine is not a pass.
    /// </summary>
    public static void Require(Engine engine)
    {
        if (engine != Engine.Postgres || !string.IsNullOrEmpty(PostgresConnectionString))
        {
            return;
        }
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail("CI=true but SPECTRAL_TEST_PG is not set: PostgreSQL tests must run in CI (scripts/test.sh starts a server).");
        }
        Assert.Skip("PostgreSQL not configured: set SPECTRAL_TEST_PG (scripts/test.sh starts a throwaway server and sets it).");
    }
}
