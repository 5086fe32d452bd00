using Microsoft.Data.Sqlite;
using SpectralNotify.Storage;
using SpectralNotify.Tasks;
using SpectralNotify.Workflows;

namespace SpectralNotify.Sqlite;

public sealed partial class SqliteStore
{
    public Task<WorkflowChange> WorkflowCreateAsync(WorkflowCreateParams p, CancellationToken ct) =>
        _writer.RunAsync(w =>
        {
            var change = WorkflowRules.Create(p.Id, p.Phases, p.Metadata, p.CreatedBy, _time.GetUtcNow(), p.Status);
            if (BindWorkflow(w.Command(Sql["WorkflowInsert"]), change.Workflow).ExecuteNonQuery() == 0)
            {
                throw new WorkflowAlreadyExistsException(p.Id);
            }
            WriteChange(w, change, updateWorkflow: false);
            return change;
        }, ct);

    public Task<WorkflowChange> WorkflowUpdatePhaseAsync(WorkflowPhaseUpdateParams p, CancellationToken ct) =>
        _writer.RunAsync(w =>
        {
            var current = Load(w.Command, p.Id) ?? throw new WorkflowNotFoundException(p.Id);
            var change = WorkflowRules.UpdatePhase(current.Workflow, current.Phases, p.PhaseKey, p.Progress, p.Metadata, _time.GetUtcNow(), p.Rules);
            WriteChange(w, change, updateWorkflow: true);
            return change;
        }, ct);

    public Task<WorkflowChange> WorkflowFinishAsync(WorkflowFinishParams p, CancellationToken ct) =>
        _writer.RunAsync(w =>
        {
            var current = Load(w.Command, p.Id) ?? throw new WorkflowNotFoundException(p.Id);
            var change = WorkflowRules.Finish(current.Workflow, current.Phases, p.Outcome, p.Error, p.Metadata, _time.GetUtcNow(), p.Rules);
            BindWorkflow(w.Command(Sql["WorkflowUpdate"]), change.Workflow).ExecuteNonQuery();
            BindWorkflowEvent(w.Command(Sql["WorkflowEventInsert"]), change.Event).ExecuteNonQuery();
            return change;
        }, ct);

    public Task<bool> WorkflowDeleteAsync(string id, CancellationToken ct) =>
        _writer.RunAsync(w =>
        {
            if (w.Command(Sql["WorkflowDelete"]).With("@id", id).ExecuteNonQuery() == 0)
            {
                return false;
            }
            WriteDeletion(w, Lists.Deletion.Workflow, id, _time.GetUtcNow());
            return true;
        }, ct);

    public async Task<WorkflowSnapshot?> WorkflowGetAsync(string id, CancellationToken ct)
    {
        await using var c = await OpenReadAsync(ct);
        // One read transaction: the workflow and its phases come from the same snapshot.
        await using var tx = (SqliteTransaction)await c.BeginTransactionAsync(ct);
        var commands = new List<SqliteCommand>();
        try
        {
            return Load(sql =>
            {
                var cmd = Cmd(c, sql);
                cmd.Transaction = tx;
                commands.Add(cmd);
                return cmd;
            }, id);
        }
        finally
        {
            commands.ForEach(cmd => cmd.Dispose());
        }
    }

    public async Task<IReadOnlyList<WorkflowEvent>> WorkflowEventListAsync(string id, long afterSeq, int limit, CancellationToken ct)
    {
        await using var c = await OpenReadAsync(ct);
        using var cmd = Cmd(c, Sql["WorkflowEventList"]).With("@workflow_id", id).With("@after", afterSeq).With("@limit", limit);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<WorkflowEvent>();
        while (await r.ReadAsync(ct))
        {
            list.Add(SqliteRows.Rows.WorkflowEvent(r));
        }
        return list;
    }

    public async Task<WorkflowPage> WorkflowListAsync(WorkflowListParams p, CancellationToken ct)
    {
        await using var c = await OpenReadAsync(ct);
        using var cmd = Cmd(c, Sql["WorkflowList"]).With("@status", p.Status?.ToWire())
            .With("@cursor_created", p.Cursor?.CreatedAt).With("@cursor_id", p.Cursor?.Id).With("@limit", p.Limit + 1);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var items = new List<Workflow>();
        while (await r.ReadAsync(ct))
        {
            items.Add(SqliteRows.Rows.Workflow(r));
        }
        return new WorkflowPage(items, KeysetPage.Trim(items, p.Limit, x => new TaskCursor(x.CreatedAt, x.Id)));
    }

    /// <summary>The workflow and its phases, read with commands from <paramref name="command"/> (the writer's, or a read transaction's).</summary>
    private static WorkflowSnapshot? Load(Func<string, SqliteCommand> command, string id)
    {
        Workflow workflow;
        using (var r = command(Sql["WorkflowGet"]).With("@id", id).ExecuteReader())
        {
            if (!r.Read())
            {
                return null;
            }
            workflow = SqliteRows.Rows.Workflow(r);
        }
        var phases = new List<WorkflowPhase>();
        using (var r = command(Sql["WorkflowPhaseList"]).With("@workflow_id", id).ExecuteReader())
        {
            while (r.Read())
            {
                phases.Add(SqliteRows.Rows.Phase(r));
            }
        }
        return new WorkflowSnapshot(workflow, phases);
    }

    /// <summary>
    /// Writes the phases the change touched, its event, and the workflow row unless it was just
    /// inserted. Only <see cref="WorkflowChange.ChangedPhases"/> are written: an update holds the single
    /// writer, so rewriting all 500 phases per update would make every other write wait (audit finding 8).
    /// </summary>
    private static void WriteChange(WriteContext w, WorkflowChange change, bool updateWorkflow)
    {
        if (updateWorkflow)
        {
            BindWorkflow(w.Command(Sql["WorkflowUpdate"]), change.Workflow).ExecuteNonQuery();
        }
        foreach (var p in change.ChangedPhases)
        {
            w.Command(Sql["WorkflowPhaseUpsert"])
                .With("@workflow_id", change.Workflow.Id).With("@phase_key", p.Key).With("@label", p.Label).With("@weight", p.Weight)
                .With("@status", p.Status.ToWire()).With("@progress", p.Progress).With("@phase_order", p.Order)
                .With("@parent_phase_key", p.ParentPhaseKey).With("@depth", p.Depth).With("@started_at", p.StartedAt)
                .With("@updated_at", p.UpdatedAt).With("@completed_at", p.CompletedAt).ExecuteNonQuery();
        }
        BindWorkflowEvent(w.Command(Sql["WorkflowEventInsert"]), change.Event).ExecuteNonQuery();
    }

    private static SqliteCommand BindWorkflow(SqliteCommand cmd, Workflow wf) => cmd
        .With("@id", wf.Id).With("@status", wf.Status.ToWire()).With("@overall_progress", wf.OverallProgress)
        .With("@expected_phase_count", wf.ExpectedPhaseCount).With("@completed_phase_count", wf.CompletedPhaseCount)
        .With("@active_phase_key", wf.ActivePhaseKey).With("@all_phases_done", wf.AllPhasesDone).With("@metadata", wf.Metadata)
        .With("@created_by", wf.CreatedBy).With("@created_at", wf.CreatedAt).With("@updated_at", wf.UpdatedAt)
        .With("@completed_at", wf.CompletedAt).With("@failed_at", wf.FailedAt).With("@canceled_at", wf.CanceledAt)
        .With("@last_seq", wf.LastSeq).With("@version", wf.Version);

    private static SqliteCommand BindWorkflowEvent(SqliteCommand cmd, WorkflowEvent e) => cmd
        .With("@workflow_id", e.WorkflowId).With("@seq", e.Seq).With("@type", e.Type).With("@phase_key", e.PhaseKey)
        .With("@message", e.Message).With("@progress", e.Progress).With("@metadata", e.Metadata).With("@timestamp", e.Timestamp);

}
