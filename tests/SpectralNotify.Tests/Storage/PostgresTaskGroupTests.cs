using SpectralNotify.Tasks;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Storage;

/// <summary>
/// PostgreSQL's task write group commits mutations of many tasks in one transaction. A statement the
/// database refuses for one task (here a trigger stands in for any server-side refusal) must fail
/// that task's writes only: the group falls back to one transaction per task, and its neighbours commit.
/// </summary>
public sealed class PostgresTaskGroupTests
{
    [Fact]
    public async Task A_write_the_database_refuses_fails_alone_and_its_group_neighbours_commit()
    {
        await using var db = await TestDatabase.CreateAsync(Engine.Postgres);
        await using var store = await db.CreateStoreAsync();
        var ids = Enumerable.Range(0, 12).Select(i => $"ok{i:D2}").Append("poison").ToArray();
        foreach (var id in ids)
        {
            await store.TaskCreateAsync(new NewTask { Id = id }, default);
        }
        await db.ExecuteAsync("""
            CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS
            $$ BEGIN RAISE EXCEPTION 'poisoned event for %', NEW.task_id; END $$;
            CREATE TRIGGER refuse_poison BEFORE INSERT ON task_events
            FOR EACH ROW WHEN (NEW.task_id = 'poison') EXECUTE FUNCTION refuse_poison();
            """);

        // Enough writes at once that most of them wait for, and share, one group transaction.
        var writes = Enumerable.Range(0, 5).SelectMany(round => ids.Select(id => (id, task:
            store.TaskMutateAsync(id, new ProgressMutation(round * 10, null), default)))).ToList();
        foreach (var (id, task) in writes)
        {
            if (id == "poison")
            {
                var ex = await Assert.ThrowsAnyAsync<Exception>(() => task);
                Assert.Contains("poisoned event for poison", ex.Message);
            }
            else
            {
                await task;
            }
        }
        foreach (var id in ids.Where(i => i != "poison"))
        {
            var events = await store.TaskEventListAsync(id, 0, 100, default);
            Assert.Equal(Enumerable.Range(1, 6).Select(i => (long)i), events.Select(e => e.Seq));
        }
        Assert.Equal(1, (await store.TaskGetAsync("poison", default))!.LastSeq);
    }
}
