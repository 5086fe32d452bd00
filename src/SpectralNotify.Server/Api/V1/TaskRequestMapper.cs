using System.Security.Claims;
using SpectralNotify.Server.Api.V1.Contracts;
using SpectralNotify.Storage;
using SpectralNotify.Tasks;

namespace SpectralNotify.Server.Api.V1;

/// <summary>Turns validated v1 requests into domain inputs; every rule broken is reported, not just the first.</summary>
public static class TaskRequestMapper
{
    public static NewTask? ToNewTask(CreateTaskRequest r, ClaimsPrincipal user, DateTimeOffset now, RequestErrors errors)
    {
        errors.Id("id", r.Id, required: false);
        errors.Text("title", r.Title, Limits.MaxTitleLength);
        errors.Text("description", r.Description, Limits.MaxMessageBytes);
        errors.Text("type", r.Type, Limits.MaxTypeLength);
        errors.Text("workspacePath", r.WorkspacePath, Limits.MaxPathLength);
        errors.Progress("progress", r.Progress, required: false);
        errors.Id("workflowId", r.WorkflowId, required: false);
        if (r.Sequence is < 0)
        {
            errors.Add("sequence", "must be 0 or more");
        }
        if (r.Sequence is not null && r.WorkflowId is null)
        {
            errors.Add("sequence", "needs a workflowId");
        }
        var metadata = errors.JsonObject("metadata", r.Metadata);
        var config = errors.JsonObject("config", r.Config);
        var status = TaskState.Pending;
        if (r.Status is not null && !(TaskStateNames.TryParse(r.Status, out status) && status is TaskState.Pending or TaskState.InProgress))
        {
            errors.Add("status", "must be pending or in-progress when creating a task");
        }
        DateTimeOffset? expires = r.ExpiresAt;
        if (r.TtlSeconds is { } ttl)
        {
            if (r.ExpiresAt is not null)
            {
                errors.Add("ttlSeconds", "cannot be combined with expiresAt");
            }
            else if (!double.IsFinite(ttl) || ttl <= 0 || ttl > 10 * 365 * 86400)
            {
                errors.Add("ttlSeconds", "must be a positive number of seconds, at most 10 years");
            }
            else
            {
                expires = now.AddSeconds(ttl);
            }
        }
        if (errors.Any)
        {
            return null;
        }
        return new NewTask
        {
            Id = r.Id ?? Guid.CreateVersion7().ToString(),
            Title = r.Title,
            Description = r.Description,
            Type = r.Type,
            Status = status,
            Progress = r.Progress ?? 0,
            Metadata = metadata ?? "{}",
            Config = config ?? "{}",
            WorkspacePath = r.WorkspacePath,
            CreatedBy = user.Identity?.Name,
            ExpiresAt = expires,
            WorkflowId = r.WorkflowId,
            Sequence = r.Sequence,
        };
    }

    public static TaskMutation? ToMutation(UpdateTaskRequest r, long? ifVersion, RequestErrors errors)
    {
        errors.Text("title", r.Title, Limits.MaxTitleLength);
        errors.Text("description", r.Description, Limits.MaxMessageBytes);
        var metadata = errors.JsonObject("metadata", r.Metadata);
        var config = errors.JsonObject("config", r.Config);
        if (r.Title is null && r.Description is null && metadata is null && config is null && !errors.Any)
        {
            errors.Add("body", "must set at least one of title, description, metadata, config");
        }
        return errors.Any ? null : new UpdateMutation(r.Title, r.Description, metadata, config) { IfVersion = ifVersion };
    }

    public static TaskMutation? ToMutation(AddEventRequest r, RequestErrors errors)
    {
        if (r.Type is null)
        {
            errors.Add("type", $"is required ({TaskEventType.AllowedList})");
        }
        else if (!TaskEventType.IsValid(r.Type))
        {
            errors.Add("type", $"must be one of {TaskEventType.AllowedList}");
        }
        errors.Message("message", r.Message, required: true);
        errors.Progress("progress", r.Progress, required: false);
        var metadata = errors.JsonObject("metadata", r.Metadata);
        return errors.Any ? null : new AddEventMutation(r.Type!, r.Message!, r.Progress, metadata);
    }

    public static TaskMutation? ToMutation(ProgressRequest r, RequestErrors errors)
    {
        errors.Progress("progress", r.Progress, required: true);
        errors.Message("message", r.Message, required: false);
        return errors.Any ? null : new ProgressMutation(r.Progress!.Value, r.Message);
    }

    public static TaskMutation? ToMutation(CompleteRequest? r, RequestErrors errors)
    {
        var metadata = errors.JsonObject("metadata", r?.Metadata);
        return errors.Any ? null : new CompleteMutation(metadata);
    }

    public static TaskMutation? ToMutation(FailRequest r, RequestErrors errors)
    {
        errors.Message("error", r.Error, required: true);
        var metadata = errors.JsonObject("metadata", r.Metadata);
        return errors.Any ? null : new FailMutation(r.Error!, metadata);
    }

    public static TaskMutation? ToMutation(CancelRequest? r, RequestErrors errors)
    {
        errors.Message("reason", r?.Reason, required: false);
        var metadata = errors.JsonObject("metadata", r?.Metadata);
        return errors.Any ? null : new CancelMutation(r?.Reason, metadata);
    }

    /// <summary>Maps one batch operation; field names in errors are prefixed with <c>operations[i].</c>.</summary>
    public static TaskWrite? ToWrite(BatchOperation op, ClaimsPrincipal user, DateTimeOffset now, RequestErrors errors)
    {
        if (op.Op != "create")
        {
            errors.Id("id", op.Id, required: true);
        }
        TaskMutation? m;
        switch (op.Op)
        {
            case "create":
                var t = ToNewTask(new CreateTaskRequest(op.Id, op.Title, op.Description, op.Type, op.Status, op.Progress,
                    op.Metadata, op.Config, op.WorkspacePath, op.ExpiresAt, op.TtlSeconds), user, now, errors);
                return t is null ? null : TaskWrite.Create(t);
            case "update": m = ToMutation(new UpdateTaskRequest(op.Title, op.Description, op.Metadata, op.Config), null, errors); break;
            case "event": m = ToMutation(new AddEventRequest(op.Type, op.Message, op.Progress, op.Metadata), errors); break;
            case "progress": m = ToMutation(new ProgressRequest(op.Progress, op.Message), errors); break;
            case "complete": m = ToMutation(new CompleteRequest(op.Metadata), errors); break;
            case "fail": m = ToMutation(new FailRequest(op.Error, op.Metadata), errors); break;
            case "cancel": m = ToMutation(new CancelRequest(op.Reason, op.Metadata), errors); break;
            default:
                errors.Add("op", "must be one of create, update, event, progress, complete, fail, cancel");
                return null;
        }
        return m is null || errors.Any ? null : TaskWrite.Mutate(op.Id!, m);
    }
}
