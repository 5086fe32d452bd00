using System.Text.Json;
using SpectralNotify.Access;
using SpectralNotify.Server.Wire;
using SpectralNotify.Tasks;
using SpectralNotify.Workflows;

namespace SpectralNotify.Server.Api.Compat;

/// <summary>
/// The reference's <c>workflows/*</c> procedures (protocol §3.2, §7.2). Mutations follow
/// <see cref="RuleSet.Reference"/>, so existing clients may keep updating a finished workflow or set
/// a parent phase; our own additions stay (parents roll up, the workflow turns in-progress when a
/// phase starts). Unknown workflows and phases are 404s and write nothing.
/// </summary>
public static class WorkflowProcedures
{
    public static IEnumerable<Procedure> All =>
    [
        new("workflows/create", new(Resource.Workflows, Operation.Write, "id"), true, Create),
        new("workflows/updatePhaseProgress", new(Resource.Workflows, Operation.Write, "workflowId"), true, c => UpdatePhase(c, f => f.Number("progress", 0, 100))),
        new("workflows/completePhase", new(Resource.Workflows, Operation.Write, "workflowId"), true, c => UpdatePhase(c, _ => 100)),
        new("workflows/complete", new(Resource.Workflows, Operation.Write, "workflowId"), true, c => Finish(c, TaskState.Success, needsError: false)),
        new("workflows/fail", new(Resource.Workflows, Operation.Write, "workflowId"), true, c => Finish(c, TaskState.Failed, needsError: true)),
        new("workflows/cancel", new(Resource.Workflows, Operation.Write, "workflowId"), true, c => Finish(c, TaskState.Canceled, needsError: false)),
        new("workflows/getById", new(Resource.Workflows, Operation.Read, "workflowId"), false, GetById),
        new("workflows/getPhases", new(Resource.Workflows, Operation.Read, "workflowId"), false, GetPhases),
        new("workflows/getHistory", new(Resource.Workflows, Operation.Read, "workflowId"), false, GetHistory),
        new("workflows/getAll", new(Resource.Workflows, Operation.List), false, GetAll),
        new("workflows/listAll", new(Resource.Workflows, Operation.List), false, ListAll),
        new("workflows/delete", new(Resource.Workflows, Operation.Delete, "workflowId"), false, Delete),
        new("workflows/deleteAll", new(Resource.Workflows, Operation.Delete), false, DeleteAll),
    ];

    private static async Task<Output> Create(ProcedureCall c)
    {
        var f = c.Input.Object();
        ThrowIfTooBig(f);
        var id = CompatFields.Id(f, "id");
        var status = CompatFields.Status(f);
        var phases = ReadPhases(f);
        var metadata = NotifyMetadata.Read(f, required: true, systemAuthor: true);
        c.Input.ThrowIfInvalid();
        try
        {
            await c.Workflows.CreateAsync(new(id!, phases!, metadata!, c.Caller, status!.Value), c.Ct);
        }
        catch (WorkflowAlreadyExistsException)
        {
            // The reference answers a second create of an id with success and changes nothing.
        }
        return Output.Success("workflowId", id!);
    }

    /// <summary>
    /// The caps of <see cref="WorkflowLimits"/>, before anything else is read: the count from the
    /// array's length alone (as zod's <c>.max(500)</c> would report it), the depth from each item's
    /// <c>key</c> and <c>parentPhaseKey</c> in one pass. Items too malformed to link are left to the
    /// field checks that follow.
    /// </summary>
    private static void ThrowIfTooBig(Fields f)
    {
        if (f.Get(WorkflowLimits.Field) is not { ValueKind: JsonValueKind.Array } items)
        {
            return;
        }
        var path = f.PathOf(WorkflowLimits.Field);
        if (WorkflowLimits.CheckCount(items.GetArrayLength()) is not null)
        {
            throw CompatError.Validation([ZodIssue.TooBig(path, "array", WorkflowLimits.MaxPhases, true)]);
        }
        var links = items.EnumerateArray().Select(p => new PhaseLink(LinkKey(p, "key"), LinkKey(p, "parentPhaseKey"))).ToList();
        if (WorkflowLimits.Check(links) is { } rule)
        {
            throw CompatError.Validation([ZodIssue.Custom(path, $"{WorkflowLimits.Field} {rule}")]);
        }
    }

    /// <summary>A string property of a phase item, or null when it is absent, not a string, or not valid UTF-16 (the field checks report those).</summary>
    private static string? LinkKey(JsonElement item, string name)
    {
        if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.String)
        {
            return null;
        }
        try
        {
            return v.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>
    /// <c>phases</c>: each item's fields, then the array rules of §3.2 (at least one, unique keys,
    /// weights summing to 1 per level). Where the reference only says <c>Invalid input</c> for a weight
    /// sum, the message here names the level and its sum.
    /// </summary>
    private static List<PhaseInput>? ReadPhases(Fields f)
    {
        var items = f.Array("phases");
        if (items is null)
        {
            return null;
        }
        var before = f.Input.Issues.Count;
        var phases = new List<PhaseInput>();
        for (var i = 0; i < items.Count; i++)
        {
            var p = f.Item("phases", i, items[i]);
            if (p is null)
            {
                continue;
            }
            var key = p.String("key", min: 1, max: V1.Limits.MaxIdLength);
            var label = p.String("label", min: 1, max: V1.Limits.MaxTitleLength);
            var weight = p.Number("weight", 0, 1);
            var status = CompatFields.Status(p);
            var progress = p.Number("progress", 0, 100);
            var parent = p.String("parentPhaseKey", optional: true, nullable: true);
            p.Integer("depth", min: 0, fallback: 0);
            phases.Add(new PhaseInput(key, label, weight, parent, status, progress));
        }
        if (items.Count == 0)
        {
            f.Input.Add(ZodIssue.TooSmall(f.PathOf("phases"), "array", 1, true, "At least one phase required"));
        }
        var keys = phases.Select(p => p.Key).Where(k => k is not null).ToList();
        if (keys.Count != keys.Distinct(StringComparer.Ordinal).Count())
        {
            f.Input.Add(ZodIssue.Custom(f.PathOf("phases"), "Phase keys must be unique"));
        }
        if (f.Input.Issues.Count == before)
        {
            foreach (var (field, rule) in PhaseValidation.Validate(phases))
            {
                f.Input.Add(ZodIssue.Custom(f.PathOf("phases"), $"{field} {rule}"));
            }
        }
        return phases;
    }

    private static async Task<Output> UpdatePhase(ProcedureCall c, Func<Fields, double?> readProgress)
    {
        var f = c.Input.Object();
        var id = CompatFields.Id(f, "workflowId");
        var phase = f.String("phase", min: 1, max: V1.Limits.MaxIdLength);
        var progress = readProgress(f);
        var metadata = NotifyMetadata.Read(f, required: false);
        c.Input.ThrowIfInvalid();
        var change = await c.Workflows.UpdatePhaseAsync(new(id!, phase!, progress!.Value, metadata, RuleSet.Reference), c.Ct);
        return await EnrichedAsync(c, change);
    }

    private static async Task<Output> Finish(ProcedureCall c, TaskState outcome, bool needsError)
    {
        var f = c.Input.Object();
        var id = CompatFields.Id(f, "workflowId");
        var error = needsError ? f.String("error", max: CompatFields.MaxMessageLength) : null;
        var metadata = NotifyMetadata.Read(f, required: false);
        c.Input.ThrowIfInvalid();
        var change = await c.Workflows.FinishAsync(new(id!, outcome, error, metadata, RuleSet.Reference), c.Ct);
        return await EnrichedAsync(c, change);
    }

    /// <summary>EnrichedWorkflowResponse: the workflow after the change and its 10 newest history rows (no phases).</summary>
    private static async Task<Output> EnrichedAsync(ProcedureCall c, WorkflowChange change)
    {
        var history = await LatestAsync(c, change.Workflow.Id, change.Event.Seq, 10);
        return Output.Enriched("workflow", w => ReferenceRows.WorkflowMetadata(w, change.Workflow), history, ReferenceRows.WorkflowHistory);
    }

    private static async Task<Output> GetById(ProcedureCall c)
    {
        var id = CompatFields.Id(c.Input.Object(), "workflowId", "Workflow");
        c.Input.ThrowIfInvalid();
        var snapshot = await c.Store.WorkflowGetAsync(id!, c.Ct) ?? throw new WorkflowNotFoundException(id!);
        return Output.Write(w => ReferenceRows.WorkflowMetadata(w, snapshot.Workflow));
    }

    private static async Task<Output> GetPhases(ProcedureCall c)
    {
        var id = CompatFields.Id(c.Input.Object(), "workflowId", "Workflow");
        c.Input.ThrowIfInvalid();
        var snapshot = await c.Store.WorkflowGetAsync(id!, c.Ct);
        return Output.Write(w => ReferenceRows.WorkflowPhases(w, id!, snapshot?.Phases ?? []));
    }

    private static async Task<Output> GetHistory(ProcedureCall c)
    {
        var f = c.Input.Object();
        var id = CompatFields.Id(f, "workflowId");
        var limit = CompatFields.Limit(f);
        c.Input.ThrowIfInvalid();
        var snapshot = await c.Store.WorkflowGetAsync(id!, c.Ct);
        var history = snapshot is null ? [] : await LatestAsync(c, id!, snapshot.Workflow.LastSeq, limit);
        return Output.Array(history, ReferenceRows.WorkflowHistory);
    }

    /// <summary>WorkflowListItem (protocol §3.2): with phases, without the phase counts.</summary>
    private static async Task<Output> GetAll(ProcedureCall c)
    {
        var all = await ListAsync(c);
        var last = new List<WorkflowEvent?>(all.Count);
        foreach (var s in all)
        {
            last.Add((await c.Store.WorkflowEventListAsync(s.Workflow.Id, s.Workflow.LastSeq - 1, 1, c.Ct)).FirstOrDefault());
        }
        var meta = new List<IReadOnlyList<object>>();
        var output = Output.Write(w =>
        {
            w.WriteStartArray();
            for (var i = 0; i < all.Count; i++)
            {
                var wf = all[i].Workflow;
                w.WriteStartObject();
                w.WriteString("id", wf.Id);
                w.WriteString("status", wf.Status.ToWire());
                w.WriteNumber("overallProgress", wf.OverallProgress);
                w.WritePropertyName("phases");
                ReferenceRows.WorkflowPhases(w, wf.Id, all[i].Phases);
                TaskProcedures.ListTimes(w, meta, i, wf.CreatedAt, wf.UpdatedAt, wf.CompletedAt, wf.FailedAt, wf.CanceledAt);
                var e = last[i];
                w.WriteStartObject("lastEvent");
                w.WriteString("id", (e?.Seq ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture));
                w.WriteString("timestamp", Clock.ToWire(e?.Timestamp ?? wf.CreatedAt));
                w.WriteString("type", e?.Type ?? "log");
                if (e?.PhaseKey is { } key)
                {
                    w.WriteString("phaseKey", key);
                }
                w.WriteString("message", e?.Message ?? "Workflow created");
                if (e?.Progress is { } p)
                {
                    w.WriteNumber("progress", p);
                }
                w.WriteEndObject();
                meta.Add([1, i, "lastEvent", "timestamp"]);
                w.WriteStartArray("events");
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
        return output with { Meta = meta };
    }

    /// <summary>Only the registry fields: no phases are read.</summary>
    private static async Task<Output> ListAll(ProcedureCall c)
    {
        var all = new List<Workflow>();
        Storage.TaskCursor? cursor = null;
        do
        {
            var page = await c.Store.WorkflowListAsync(new WorkflowListParams(null, 500, cursor), c.Ct);
            all.AddRange(page.Items);
            cursor = page.Next;
        }
        while (cursor is not null && all.Count < TaskProcedures.MaxListed);
        return Output.Registry("workflows", "workflowId", [.. all.Take(TaskProcedures.MaxListed).Select(w => (w.Id, w.CreatedAt, w.CreatedBy))]);
    }

    private static async Task<Output> Delete(ProcedureCall c)
    {
        var id = CompatFields.Id(c.Input.Object(), "workflowId", "Workflow");
        c.Input.ThrowIfInvalid();
        await c.Workflows.DeleteAsync(id!, c.Ct);
        return Output.Success("workflowId", id!);
    }

    private static Task<Output> DeleteAll(ProcedureCall c) => Output.DeleteAll(
        async () => [.. (await c.Store.WorkflowListAsync(new WorkflowListParams(null, 500, null), c.Ct)).Items.Select(w => w.Id)],
        id => c.Workflows.DeleteAsync(id, c.Ct));

    private static async Task<IReadOnlyList<WorkflowEvent>> LatestAsync(ProcedureCall c, string id, long throughSeq, int count)
    {
        var events = await c.Store.WorkflowEventListAsync(id, Math.Max(0, throughSeq - count), count, c.Ct);
        return [.. events.Where(e => e.Seq <= throughSeq).Reverse()];
    }

    private static async Task<List<WorkflowSnapshot>> ListAsync(ProcedureCall c)
    {
        var all = new List<WorkflowSnapshot>();
        Storage.TaskCursor? cursor = null;
        do
        {
            var page = await c.Store.WorkflowListAsync(new WorkflowListParams(null, 500, cursor), c.Ct);
            foreach (var wf in page.Items)
            {
                if (await c.Store.WorkflowGetAsync(wf.Id, c.Ct) is { } s)
                {
                    all.Add(s);
                }
            }
            cursor = page.Next;
        }
        while (cursor is not null && all.Count < TaskProcedures.MaxListed);
        return all;
    }
}
