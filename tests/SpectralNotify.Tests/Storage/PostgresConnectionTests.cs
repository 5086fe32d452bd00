using Npgsql;
using SpectralNotify.Postgres;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Storage;

/// <summary>
/// How the store opens PostgreSQL connections. It skips Npgsql's session reset on every reuse of a pooled
/// connection (a round of RESET ALL, CLOSE ALL, UNLISTEN *, ... executed by the database each time), which
/// is safe only because the store keeps no session state there and an unfinished transaction is still
/// rolled back when its connection returns to the pool.
/// </summary>
public sealed class PostgresConnectionTests
{
    private static NpgsqlConnectionStringBuilder Effective(string connectionString) =>
        new(new PostgresStoreOptions { ConnectionString = connectionString }.EffectiveConnectionString());

    [Fact]
    public void The_session_reset_is_skipped_unless_the_connection_string_asks_for_it()
    {
        Assert.True(Effective("Host=db;Username=u").NoResetOnClose);
        Assert.False(Effective("Host=db;Username=u;No Reset On Close=false").NoResetOnClose);
        Assert.False(Effective("Host=db;Username=u;NoResetOnClose=false").NoResetOnClose);
    }

    [Fact]
    public async Task A_transaction_left_open_is_rolled_back_when_its_connection_returns_to_the_pool()
    {
        await using var db = await TestDatabase.CreateAsync(Engine.Postgres);
        await db.ExecuteAsync("CREATE TABLE probe (x integer)");
        var builder = Effective(db.Setting);
        // One connection in the pool, so the second open is the same session as the first.
        builder.MaxPoolSize = 1;
        builder.ApplicationName = "pool-reset-" + Guid.NewGuid().ToString("N")[..8];
        await using var source = NpgsqlDataSource.Create(builder.ConnectionString);

        int pid;
        await using (var first = await source.OpenConnectionAsync())
        {
            pid = first.ProcessID;
            await using var tx = await first.BeginTransactionAsync();
            await using var insert = new NpgsqlCommand("INSERT INTO probe VALUES (1)", first, tx);
            await insert.ExecuteNonQueryAsync();
            // Neither committed nor rolled back: the connection goes back to the pool mid-transaction.
        }

        await using var second = await source.OpenConnectionAsync();
        Assert.Equal(pid, second.ProcessID);
        await using var count = new NpgsqlCommand("SELECT count(*) FROM probe", second);
        Assert.Equal(0L, await count.ExecuteScalarAsync());
    }
}
