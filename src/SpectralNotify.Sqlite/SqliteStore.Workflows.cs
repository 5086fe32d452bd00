using Microsoft.Data.Sqlite;
using SpectralNotify.Storage;
using SpectralNotify.Tasks;
using SpectralNotify.Workflows;

namespace SpectralNotify.Sqlite;

public sealed partial class SqliteStore
{
    public Task<WorkflowChange> WorkflowCreateAsync(string id, IReadOnlyList<PhaseInput> phases, string metadata, string? createdBy, CancellationToken ct) =>
        _writer.RunAsync(w =>
        {
            var change = WorkflowRules.Create(id, phases, metadata, createdBy, _time.GetUtcNow());
            if (BindWorkflow(w.Command(Sql["WorkflowInsert"]), change.Workflow).ExecuteNonQuery() == 0)
            {
                throw new WorkflowAlreadyExistsException(id);
            }
            WriteChange(w, change, updateWorkflow: false);
            return change;
        }, ct);

    public Task<WorkflowChange> WorkflowUpdatePhaseAsync(string id, string phaseKey, double progress, string? metadata, CancellationToken ct) =>
        _writer.RunAsync(w =>
        {
            var current = Load(w.Connection, w, id) ?? throw new WorkflowNotFoundException(id);
            var change = WorkflowRules.UpdatePhase(current.Workflow, current.Phases, phaseKey, progress, metadata, _time.GetUtcNow());
            WriteChange(w, change, updateWorkflow: true);
            return change;
        }, ct);

    public Task<WorkflowChange> WorkflowFinishAsync(string id, TaskState outcome, string? error, string? metadata, CancellationToken ct) =>
        _writer.RunAsync(w =>
        {
            var current = Load(w.Connection, w, id) ?? throw new WorkflowNotFoundException(id);
            var change = WorkflowRules.Finish(current.Workflow, current.Phases, outcome, error, metadata, _time.GetUtcNow());
            BindWorkflow(w.Command(Sql["WorkflowUpdate"]), change.Workflow).ExecuteNonQuery();
            BindWorkflowEvent(w.Command(Sql["WorkflowEventInsert"]), change.Event).ExecuteNonQuery();
            return change;
        }, ct);

    public Task<bool> WorkflowDeleteAsync(string id, CancellationToken ct) =>
        _writer.RunAsync(w => w.Command(Sql["WorkflowDelete"]).With("@id", id).ExecuteNonQuery() > 0, ct);

    public async Task<WorkflowSnapshot?> WorkflowGetAsync(string id, CancellationToken ct)
    {
        await using var c = await OpenReadAsync(ct);
        // One read transaction: the workflow and its phases come from the same snapshot.
        await using var tx = (SqliteTransaction)await c.BeginTransactionAsync(ct);
        return Load(c, null, id, tx);
    }

    public async Task<IReadOnlyList<WorkflowEvent>> WorkflowEventListAsync(string id, long afterSeq, int limit, CancellationToken ct)
    {
        await using var c = await OpenReadAsync(ct);
        using var cmd = Cmd(c, Sql["WorkflowEventList"]).With("@workflow_id", id).With("@after", afterSeq).With("@limit", limit);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<WorkflowEvent>();
        while (await r.ReadAsync(ct))
        {
            list.Add(new WorkflowEvent
            {
                WorkflowId = r.GetString(0), Seq = r.GetInt64(1), Type = r.GetString(2), PhaseKey = SqliteRows.Str(r, 3),
                Message = r.GetString(4), Progress = r.IsDBNull(5) ? null : r.GetDouble(5), Metadata = SqliteRows.Str(r, 6),
                Timestamp = SqliteRows.Time(r, 7)!.Value,
            });
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
            items.Add(ReadWorkflow(r));
        }
        TaskCursor? next = null;
        if (items.Count > p.Limit)
        {
            items.RemoveAt(items.Count - 1);
            next = new TaskCursor(items[^1].CreatedAt, items[^1].Id);
        }
        return new WorkflowPage(items, next);
    }

    private static WorkflowSnapshot? Load(SqliteConnection c, WriteContext? w, string id, SqliteTransaction? tx = null)
    {
        SqliteCommand Command(string sql)
        {
            if (w is not null)
            {
                return w.Command(sql);
            }
            var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            cmd.Transaction = tx;
            return cmd;
        }
        Workflow workflow;
        var get = Command(Sql["WorkflowGet"]).With("@id", id);
        using (var r = get.ExecuteReader())
        {
            if (!r.Read())
            {
                return null;
            }
            workflow = ReadWorkflow(r);
        }
        var phases = new List<WorkflowPhase>();
        var list = Command(Sql["WorkflowPhaseList"]).With("@workflow_id", id);
        using (var r = list.ExecuteReader())
        {
            while (r.Read())
            {
                phases.Add(new WorkflowPhase
                {
                    Key = r.GetString(0), Label = r.GetString(1), Weight = r.GetDouble(2), Status = TaskStateNames.Parse(r.GetString(3)),
                    Progress = r.GetDouble(4), Order = r.GetInt32(5), ParentPhaseKey = SqliteRows.Str(r, 6), Depth = r.GetInt32(7),
                    StartedAt = SqliteRows.Time(r, 8), UpdatedAt = SqliteRows.Time(r, 9), CompletedAt = SqliteRows.Time(r, 10),
                });
            }
        }
        if (w is null)
        {
            get.Dispose();
            list.Dispose();
        }
        return new WorkflowSnapshot(workflow, phases);
    }

    /// <summary>Writes the phases and the event of a change (and the workflow row, unless it was just inserted).</summary>
    private static void WriteChange(WriteContext w, WorkflowChange change, bool updateWorkflow)
    {
        if (updateWorkflow)
        {
            BindWorkflow(w.Command(Sql["WorkflowUpdate"]), change.Workflow).ExecuteNonQuery();
        }
        foreach (var p in change.Phases)
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

    private static Workflow ReadWorkflow(SqliteDataReader r) => new()
    {
        Id = r.GetString(0),
        Status = TaskStateNames.Parse(r.GetString(1)),
        OverallProgress = r.GetInt32(2),
        ExpectedPhaseCount = r.GetInt32(3),
        CompletedPhaseCount = r.GetInt32(4),
        ActivePhaseKey = SqliteRows.Str(r, 5),
        AllPhasesDone = r.GetInt64(6) != 0,
        Metadata = r.GetString(7),
        CreatedBy = SqliteRows.Str(r, 8),
        CreatedAt = SqliteRows.Time(r, 9)!.Value,
        UpdatedAt = SqliteRows.Time(r, 10)!.Value,
        CompletedAt = SqliteRows.Time(r, 11),
        FailedAt = SqliteRows.Time(r, 12),
        CanceledAt = SqliteRows.Time(r, 13),
        LastSeq = r.GetInt64(14),
        Version = r.GetInt64(15),
    };
}
