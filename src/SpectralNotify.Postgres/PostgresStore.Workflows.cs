using Npgsql;
using SpectralNotify.Storage;
using SpectralNotify.Tasks;
using SpectralNotify.Workflows;

namespace SpectralNotify.Postgres;

public sealed partial class PostgresStore
{
    public async Task<WorkflowChange> WorkflowCreateAsync(WorkflowCreateParams p, CancellationToken ct)
    {
        await using var tx = await BeginAsync(ct);
        var change = WorkflowRules.Create(p.Id, p.Phases, p.Metadata, p.CreatedBy, _time.GetUtcNow(), p.Status);
        if (await tx.ExecuteAsync(Sql["WorkflowInsert"], ps => BindWorkflow(ps, change.Workflow), ct) == 0)
        {
            throw new WorkflowAlreadyExistsException(p.Id);
        }
        QueueChange(tx, change, updateWorkflow: false);
        await tx.CommitAsync(ct);
        return change;
    }

    public async Task<WorkflowChange> WorkflowUpdatePhaseAsync(WorkflowPhaseUpdateParams p, CancellationToken ct)
    {
        await using var tx = await BeginAsync(ct);
        var current = await LoadForUpdateAsync(tx, p.Id, ct);
        var change = WorkflowRules.UpdatePhase(current.Workflow, current.Phases, p.PhaseKey, p.Progress, p.Metadata, _time.GetUtcNow(), p.Rules);
        QueueChange(tx, change, updateWorkflow: true);
        await tx.CommitAsync(ct);
        return change;
    }

    public async Task<WorkflowChange> WorkflowFinishAsync(WorkflowFinishParams p, CancellationToken ct)
    {
        await using var tx = await BeginAsync(ct);
        var current = await LoadForUpdateAsync(tx, p.Id, ct);
        var change = WorkflowRules.Finish(current.Workflow, current.Phases, p.Outcome, p.Error, p.Metadata, _time.GetUtcNow(), p.Rules);
        BindWorkflow(tx.Queue(Sql["WorkflowUpdate"], expectedRows: 1), change.Workflow);
        BindWorkflowEvent(tx.Queue(Sql["WorkflowEventInsert"], expectedRows: 1), change.Event);
        tx.Notify(_channel, ChangeNotice.ForWorkflow(_nodeId, change));
        await tx.CommitAsync(ct);
        return change;
    }

    public async Task<bool> WorkflowDeleteAsync(string id, CancellationToken ct)
    {
        await using var tx = await BeginAsync(ct);
        if (await tx.ExecuteAsync(Sql["WorkflowDelete"], ps => ps.With("id", id), ct) == 0)
        {
            return false;
        }
        QueueDeletion(tx, Lists.Deletion.Workflow, id, _time.GetUtcNow());
        tx.Notify(_channel, ChangeNotice.ForWorkflowDeletion(_nodeId, id));
        await tx.CommitAsync(ct);
        return true;
    }

    public async Task<WorkflowSnapshot?> WorkflowGetAsync(string id, CancellationToken ct)
    {
        // REPEATABLE READ: the workflow row and its phases come from one snapshot.
        await using var conn = await _dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        Workflow? workflow = null;
        await using (var cmd = new NpgsqlCommand(Sql["WorkflowGet"], conn, tx))
        {
            cmd.Parameters.With("id", id);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            if (await r.ReadAsync(ct))
            {
                workflow = PostgresRows.Rows.Workflow(r);
            }
        }
        if (workflow is null)
        {
            return null;
        }
        var phases = new List<WorkflowPhase>();
        await using (var cmd = new NpgsqlCommand(Sql["WorkflowPhaseList"], conn, tx))
        {
            cmd.Parameters.With("workflow_id", id);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                phases.Add(PostgresRows.Rows.Phase(r));
            }
        }
        return new WorkflowSnapshot(workflow, phases);
    }

    public async Task<IReadOnlyList<WorkflowEvent>> WorkflowEventListAsync(string id, long afterSeq, int limit, CancellationToken ct)
    {
        await using var cmd = Command(Sql["WorkflowEventList"]);
        cmd.Parameters.With("workflow_id", id).With("after", afterSeq).With("limit", limit);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<WorkflowEvent>();
        while (await r.ReadAsync(ct))
        {
            list.Add(PostgresRows.Rows.WorkflowEvent(r));
        }
        return list;
    }

    public async Task<WorkflowPage> WorkflowListAsync(WorkflowListParams p, CancellationToken ct)
    {
        await using var cmd = Command(Sql["WorkflowList"]);
        cmd.Parameters.With("status", p.Status?.ToWire()).With("cursor_created", p.Cursor?.CreatedAt)
            .With("cursor_id", p.Cursor?.Id).With("limit", p.Limit + 1);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var items = new List<Workflow>();
        while (await r.ReadAsync(ct))
        {
            items.Add(PostgresRows.Rows.Workflow(r));
        }
        return new WorkflowPage(items, KeysetPage.Trim(items, p.Limit, x => new TaskCursor(x.CreatedAt, x.Id)));
    }

    private async Task<WorkflowSnapshot> LoadForUpdateAsync(PostgresWriteTransaction tx, string id, CancellationToken ct)
    {
        var rows = await tx.ReadAsync(ForUpdate("WorkflowGet"), ps => ps.With("id", id), PostgresRows.Rows.Workflow, ct);
        if (rows.Count == 0)
        {
            throw new WorkflowNotFoundException(id);
        }
        var phases = await tx.ReadAsync(Sql["WorkflowPhaseList"], ps => ps.With("workflow_id", id), PostgresRows.Rows.Phase, ct);
        return new WorkflowSnapshot(rows[0], phases);
    }

    /// <summary>Queues the workflow row, the phases the change touched (<see cref="WorkflowChange.ChangedPhases"/>, not all of them), the event and the notification.</summary>
    private void QueueChange(PostgresWriteTransaction tx, WorkflowChange change, bool updateWorkflow)
    {
        if (updateWorkflow)
        {
            BindWorkflow(tx.Queue(Sql["WorkflowUpdate"], expectedRows: 1), change.Workflow);
        }
        foreach (var p in change.ChangedPhases)
        {
            tx.Queue(Sql["WorkflowPhaseUpsert"], expectedRows: 1)
                .With("workflow_id", change.Workflow.Id).With("phase_key", p.Key).With("label", p.Label).With("weight", (double?)p.Weight)
                .With("status", p.Status.ToWire()).With("progress", (double?)p.Progress).With("phase_order", p.Order)
                .With("parent_phase_key", p.ParentPhaseKey).With("depth", p.Depth).With("started_at", p.StartedAt)
                .With("updated_at", p.UpdatedAt).With("completed_at", p.CompletedAt);
        }
        BindWorkflowEvent(tx.Queue(Sql["WorkflowEventInsert"], expectedRows: 1), change.Event);
        tx.Notify(_channel, ChangeNotice.ForWorkflow(_nodeId, change));
    }

    private static void BindWorkflow(NpgsqlParameterCollection ps, Workflow wf) => ps
        .With("id", wf.Id).With("status", wf.Status.ToWire()).With("overall_progress", wf.OverallProgress)
        .With("expected_phase_count", wf.ExpectedPhaseCount).With("completed_phase_count", wf.CompletedPhaseCount)
        .With("active_phase_key", wf.ActivePhaseKey).With("all_phases_done", (bool?)wf.AllPhasesDone).With("metadata", wf.Metadata)
        .With("created_by", wf.CreatedBy).With("created_at", (DateTimeOffset?)wf.CreatedAt).With("updated_at", (DateTimeOffset?)wf.UpdatedAt)
        .With("completed_at", wf.CompletedAt).With("failed_at", wf.FailedAt).With("canceled_at", wf.CanceledAt)
        .With("last_seq", wf.LastSeq).With("version", wf.Version);

    private static void BindWorkflowEvent(NpgsqlParameterCollection ps, WorkflowEvent e) => ps
        .With("workflow_id", e.WorkflowId).With("seq", e.Seq).With("type", e.Type).With("phase_key", e.PhaseKey)
        .With("message", e.Message).With("progress", e.Progress).With("metadata", e.Metadata).With("timestamp", (DateTimeOffset?)e.Timestamp);

}
