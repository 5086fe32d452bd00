using Npgsql;
using SpectralNotify.Tasks;

namespace SpectralNotify.Postgres;

/// <summary>
/// Group commit across tasks. Every notifying transaction takes PostgreSQL's NOTIFY queue lock at
/// commit and keeps it through the WAL flush, so one node's writes could commit no faster than one
/// per flush, whatever the number of clients (the ingest bench measured ≈ 1,100 writes/s with 64
/// clients on 256 tasks, with 82 % of the busy backends waiting on that lock). Here mutations of
/// any task that arrive while a group transaction is running wait for the next one, which applies
/// them all: one lock round trip, one batch of statements, one flush and one NOTIFY lock for the
/// whole group.
/// </summary>
/// <remarks>
/// <para>
/// Order: one group runs at a time per lane (a task always uses the same lane) and takes the row locks of all its tasks in id order
/// (the order <see cref="TaskBatchAsync"/> also takes them, so the two never wait on each other in a
/// cycle). Within the group each task's mutations apply in arrival order, so every task still gets
/// seq 1, 2, 3 … committed in order with its notifications in that order.
/// </para>
/// <para>
/// Isolation: a mutation the domain refuses (terminal task, stale version) fails alone, as before.
/// If the shared transaction fails before its commit for a reason other than a lost connection
/// (which every member would meet anyway), nothing was written, and each task's mutations are
/// applied again in a transaction of their own, so one bad write never fails its neighbours. A
/// deadlock with some other multi-row writer is handled the same way.
/// </para>
/// </remarks>
public sealed partial class PostgresStore
{
    /// <summary>The one key of a node-wide group (the combiner's per-key queue, used with a single key).</summary>
    private const string GroupKey = "";

    /// <summary>
    /// Task writes are split into lanes by task id, each lane a group of its own: one lane's
    /// statements run while another's commit waits for its flush. A task always uses the same lane,
    /// so its writes stay in order, and lanes never share a row. Two lanes measured 1–3 % above one
    /// on the ingest bench here and four 25–40 % below (smaller groups, more commits), so two.
    /// </summary>
    private static readonly string[] TaskLanes = ["tasks0", "tasks1"];

    /// <summary>The lane of <paramref name="id"/> among <paramref name="lanes"/>: always the same one for one id (task writes, run leases).</summary>
    private static string LaneOf(string[] lanes, string id) => lanes[(int)((uint)StringComparer.Ordinal.GetHashCode(id) % lanes.Length)];

    private readonly KeyedCombiner<TaskGroupOp, TaskChange> _taskGroup = new();

    private sealed record TaskGroupOp(string Id, TaskMutation Mutation);

    private async Task<IReadOnlyList<object>> ApplyTaskGroupAsync(string _, IReadOnlyList<TaskGroupOp> ops)
    {
        // The tasks in id order, each with its mutations in arrival order.
        var byTask = ops.Select((op, i) => (op, i)).GroupBy(x => x.op.Id, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        var results = new object[ops.Count];
        var committing = false;
        try
        {
            await using var tx = await BeginAsync(CancellationToken.None);
            var ids = byTask.Select(g => g.Key).ToArray();
            var rows = (await tx.ReadAsync(Sql["PgTaskLockMany"], ps => ps.Add(new NpgsqlParameter<string[]>("ids", ids)),
                PostgresRows.Rows.Task, CancellationToken.None)).ToDictionary(t => t.Id, StringComparer.Ordinal);
            var plan = new TaskWritePlan();
            foreach (var task in byTask)
            {
                var applied = await ApplyToLockedAsync(tx, task.Key, rows.GetValueOrDefault(task.Key), [.. task.Select(x => x.op.Mutation)], plan);
                var k = 0;
                foreach (var (_, index) in task)
                {
                    results[index] = applied[k++];
                }
            }
            if (plan.Changes.Count == 0)
            {
                return results; // every mutation refused: nothing to commit (dispose rolls back)
            }
            QueuePlan(tx, plan);
            await tx.FlushAsync(CancellationToken.None);
            committing = true;
            await tx.CommitAsync(CancellationToken.None);
            return results;
        }
        catch (Exception ex) when (!committing && byTask.Count > 1 && MayBeOneWritesOwn(ex))
        {
            // Nothing of the group was written: each task on its own, in id order as before.
            foreach (var task in byTask)
            {
                IReadOnlyList<object> applied;
                try
                {
                    applied = await ApplyTaskBatchAsync(task.Key, [.. task.Select(x => x.op.Mutation)]);
                }
                catch (Exception own) when (own is not OutOfMemoryException)
                {
                    applied = [.. task.Select(_ => (object)own)];
                }
                var k = 0;
                foreach (var (_, index) in task)
                {
                    results[index] = applied[k++];
                }
            }
            return results;
        }
    }

    /// <summary>
    /// A failure that one member may have caused (a statement the server refused, a version guard)
    /// or that only the sharing caused (a deadlock with another multi-row writer); not a lost
    /// connection or a server going away, which each member would meet alone too.
    /// </summary>
    private static bool MayBeOneWritesOwn(Exception ex) => ex switch
    {
        PostgresException { SqlState: "40P01" or "40001" } => true,
        PostgresException => PostgresFaults.AsUnavailable(ex) is null,
        InvalidOperationException => true,
        _ => false,
    };
}
