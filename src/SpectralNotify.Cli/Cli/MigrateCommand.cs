using System.CommandLine;
using SpectralNotify.Migrations;
using SpectralNotify.Server.Hosting;
using SpectralNotify.Sqlite;

namespace SpectralNotify.Cli;

/// <summary>
/// <c>spectral migrate up [--to N] | down [--to N] | status | dry-run [--to N]</c> against the
/// database in <c>SPECTRAL_DATABASE</c> (or <c>--database</c>). <c>down</c> without <c>--to</c>
/// reverts the latest migration only. On SQLite, <c>up</c> and <c>down</c> take the file's
/// <see cref="SqliteProcessLock"/>, so they are refused while a server uses the file; <c>status</c>
/// and <c>dry-run</c> only read and may run beside it.
/// </summary>
public static class MigrateCommand
{
    public static Command Create()
    {
        var database = DatabaseOption.Create();
        var to = new Option<int?>("--to") { Description = "Target version." };
        var migrate = new Command("migrate", "Apply, revert or inspect database migrations.");
        migrate.Options.Add(database);

        var up = new Command("up", "Apply pending migrations (up to --to).") { to };
        up.SetAction((p, ct) => Run(p, database, writes: true, async r =>
        {
            var applied = await r.UpAsync(p.GetValue(to), ct);
            Console.WriteLine(applied.Count == 0 ? "Nothing to apply; the database is current." : string.Join('\n', applied.Select(m => $"applied {m.Version:D4}_{m.Name}")));
        }));

        var down = new Command("down", "Revert the latest migration, or every migration above --to.") { to };
        down.SetAction((p, ct) => Run(p, database, writes: true, async r =>
        {
            var reverted = await r.DownAsync(p.GetValue(to), ct);
            Console.WriteLine(reverted.Count == 0 ? "Nothing to revert." : string.Join('\n', reverted.Select(m => $"reverted {m.Version:D4}_{m.Name}")));
        }));

        var status = new Command("status", "List migrations and whether each is applied.");
        status.SetAction((p, ct) => Run(p, database, writes: false, async r =>
        {
            foreach (var s in await r.StatusAsync(ct))
            {
                var state = !s.Applied ? "pending" : s.ChecksumMatches ? $"applied {Clock.ToWire(s.AppliedAt!.Value)}" : "applied, CHECKSUM MISMATCH";
                Console.WriteLine($"{s.Version:D4}_{s.Name}  {state}");
            }
        }));

        var dryRun = new Command("dry-run", "Print the SQL that 'up' would run, without running it.") { to };
        dryRun.SetAction((p, ct) => Run(p, database, writes: false, async r =>
        {
            var plan = await r.DryRunUpAsync(p.GetValue(to), ct);
            if (plan.Count == 0)
            {
                Console.WriteLine("-- Nothing to apply; the database is current.");
            }
            foreach (var m in plan)
            {
                Console.WriteLine($"-- {m.Version:D4}_{m.Name}.up.sql (checksum {m.Checksum})");
                Console.WriteLine(m.Up.TrimEnd());
                Console.WriteLine();
            }
        }));

        migrate.Subcommands.Add(up);
        migrate.Subcommands.Add(down);
        migrate.Subcommands.Add(status);
        migrate.Subcommands.Add(dryRun);
        return migrate;
    }

    private static async Task<int> Run(ParseResult p, Option<string?> database, bool writes, Func<MigrationRunner, Task> action)
    {
        try
        {
            var setting = DatabaseOption.Resolve(p, database);
            using var held = writes && setting.IsSqlite ? SqliteProcessLock.Acquire(setting.Value) : null;
            await action(StorageSetup.CreateRunner(setting));
            return 0;
        }
        catch (SqliteDatabaseInUseException ex)
        {
            await Console.Error.WriteLineAsync($"error: SPECTRAL_DATABASE: {ex.Message}");
            return 1;
        }
        catch (Exception ex) when (ex is ArgumentException or MigrationChecksumException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}");
            return 1;
        }
    }
}
