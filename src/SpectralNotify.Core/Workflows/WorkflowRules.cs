using System.Globalization;
using SpectralNotify.Tasks;

namespace SpectralNotify.Workflows;

/// <summary>
/// What each workflow operation does. Beyond the reference (protocol §13): a parent phase's progress
/// and status roll up from its children, the workflow becomes in-progress when any phase starts and
/// reports <see cref="Workflow.AllPhasesDone"/>, and terminal workflows refuse further changes.
/// </summary>
public static class WorkflowRules
{
    /// <summary>Builds a new workflow from validated phases (see <see cref="PhaseValidation"/>).</summary>
    public static WorkflowChange Create(string id, IReadOnlyList<PhaseInput> inputs, string metadata, string? createdBy, DateTimeOffset now, TaskState status = TaskState.Pending)
    {
        now = Clock.Truncate(now);
        var depths = PhaseDepths.Compute(PhaseValidation.Links(inputs));
        var phases = inputs.Select((p, i) => new WorkflowPhase
        {
            Key = p.Key!, Label = p.Label!, Weight = p.Weight!.Value, Order = i,
            ParentPhaseKey = string.IsNullOrEmpty(p.ParentPhaseKey) ? null : p.ParentPhaseKey,
            Depth = depths[i],
            Status = p.Status ?? TaskState.Pending,
            Progress = p.Progress ?? 0,
            StartedAt = p.Status == TaskState.InProgress ? now : null,
            UpdatedAt = p.Status == TaskState.InProgress ? now : null,
        }).ToList();
        var workflow = Derive(new Workflow
        {
            Id = id, Status = status, Metadata = metadata, CreatedBy = createdBy, CreatedAt = now, UpdatedAt = now, LastSeq = 1, Version = 1,
            ExpectedPhaseCount = phases.Count,
        }, phases, new PhaseTree(phases));
        return new WorkflowChange(workflow, phases, new WorkflowEvent
        {
            WorkflowId = id, Seq = 1, Type = "log", Message = "Workflow created", Metadata = metadata, Timestamp = now,
        }) { ChangedPhases = phases };
    }

    /// <summary>Sets a leaf phase's progress (100 completes it) and rolls the change up to its ancestors and the workflow.</summary>
    /// <remarks>
    /// Under <see cref="RuleSet.Reference"/> a terminal workflow still takes the update and a parent phase
    /// may be set directly, as the reference server allows; the parent is recomputed from its
    /// children again when one of them next changes.
    /// </remarks>
    public static WorkflowChange UpdatePhase(Workflow current, IReadOnlyList<WorkflowPhase> phases, string key, double progress, string? metadata, DateTimeOffset now, RuleSet rules = RuleSet.Strict)
    {
        EnsureNotTerminal(current, rules);
        now = Clock.Truncate(now);
        var updated = phases.ToList();
        var tree = new PhaseTree(updated);
        if (!tree.TryIndexOf(key, out var index))
        {
            throw new PhaseNotFoundException(current.Id, key);
        }
        if (rules == RuleSet.Strict && tree.ChildrenOf(key).Count > 0)
        {
            throw new ParentPhaseException(key);
        }
        var leaf = updated[index];
        updated[index] = Touch(leaf, progress, progress >= 100 ? TaskState.Success : TaskState.InProgress, now);
        var changed = new List<WorkflowPhase> { updated[index] };
        RollUp(updated, tree, leaf.ParentPhaseKey, now, changed);
        var seq = current.LastSeq + 1;
        var workflow = Derive(current with
        {
            Status = current.Status == TaskState.Pending ? TaskState.InProgress : current.Status,
            UpdatedAt = now, LastSeq = seq, Version = current.Version + 1,
        }, updated, tree);
        return new WorkflowChange(workflow, updated, new WorkflowEvent
        {
            WorkflowId = current.Id, Seq = seq, Type = "phase-progress", PhaseKey = key,
            Message = $"{leaf.Label} progress: {progress.ToString("R", CultureInfo.InvariantCulture)}%", Progress = progress,
            Metadata = metadata, Timestamp = now,
        }) { ChangedPhases = changed };
    }

    /// <summary>Complete (overall 100), fail or cancel the workflow; phases keep their state.</summary>
    public static WorkflowChange Finish(Workflow current, IReadOnlyList<WorkflowPhase> phases, TaskState outcome, string? error, string? metadata, DateTimeOffset now, RuleSet rules = RuleSet.Strict)
    {
        EnsureNotTerminal(current, rules);
        now = Clock.Truncate(now);
        var seq = current.LastSeq + 1;
        var workflow = current with { Status = outcome, UpdatedAt = now, LastSeq = seq, Version = current.Version + 1 };
        var (type, message, progress) = outcome switch
        {
            TaskState.Success => ("success", "Workflow completed successfully", (double?)100),
            TaskState.Failed => ("error", error ?? "Workflow failed", null),
            TaskState.Canceled => ("cancel", "Workflow canceled", null),
            _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
        };
        workflow = outcome switch
        {
            TaskState.Success => workflow with { OverallProgress = 100, CompletedAt = now },
            TaskState.Failed => workflow with { FailedAt = now },
            _ => workflow with { CanceledAt = now },
        };
        return new WorkflowChange(workflow, phases, new WorkflowEvent
        {
            WorkflowId = current.Id, Seq = seq, Type = type, Message = message, Progress = progress, Metadata = metadata, Timestamp = now,
        });
    }

    private static void EnsureNotTerminal(Workflow w, RuleSet rules)
    {
        if (rules == RuleSet.Strict && w.Status.IsTerminal())
        {
            throw new WorkflowTerminalException(w.Id, w.Status);
        }
    }

    private static WorkflowPhase Touch(WorkflowPhase p, double progress, TaskState status, DateTimeOffset now) => p with
    {
        Progress = progress,
        Status = status,
        StartedAt = p.StartedAt ?? now,
        UpdatedAt = now,
        CompletedAt = status == TaskState.Success ? p.CompletedAt ?? now : p.CompletedAt,
    };

    /// <summary>
    /// Recomputes each ancestor from its children: progress is their weighted sum; success when all
    /// succeeded. An ancestor whose progress and status come out as they were is left untouched (and
    /// unwritten); its own ancestors are still recomputed, since a parent set directly under
    /// <see cref="RuleSet.Reference"/> is corrected by the next change below it.
    /// </summary>
    private static void RollUp(List<WorkflowPhase> phases, PhaseTree tree, string? parentKey, DateTimeOffset now, List<WorkflowPhase> changed)
    {
        // Bounded by the phase count so that corrupt rows with a parent cycle cannot loop forever.
        for (var steps = 0; !string.IsNullOrEmpty(parentKey) && steps < phases.Count; steps++)
        {
            if (!tree.TryIndexOf(parentKey, out var i))
            {
                return;
            }
            var parent = phases[i];
            var progress = tree.ProgressOf(i);
            var status = tree.ChildrenOf(parentKey).All(c => phases[c].Status == TaskState.Success) ? TaskState.Success : TaskState.InProgress;
            if (progress != parent.Progress || status != parent.Status)
            {
                phases[i] = Touch(parent, progress, status, now);
                changed.Add(phases[i]);
            }
            parentKey = parent.ParentPhaseKey;
        }
    }

    private static Workflow Derive(Workflow w, IReadOnlyList<WorkflowPhase> phases, PhaseTree tree)
    {
        var done = phases.Count(p => p.Status == TaskState.Success);
        var active = tree.Ordered.Select(i => phases[i]).FirstOrDefault(p => p.Status != TaskState.Success);
        return w with
        {
            OverallProgress = tree.Overall(),
            CompletedPhaseCount = done,
            ActivePhaseKey = active?.Key,
            AllPhasesDone = phases.Count > 0 && done == phases.Count,
        };
    }
}
