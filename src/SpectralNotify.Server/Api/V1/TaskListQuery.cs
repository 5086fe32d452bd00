using System.Text.Json;
using SpectralNotify.Lists;
using SpectralNotify.Tasks;

namespace SpectralNotify.Server.Api.V1;

/// <summary>
/// The query parameters of <c>GET /api/v1/tasks</c> that mirror the live list filter (docs/realtime.md),
/// so a REST page and a live list with the same filter select the same tasks: <c>status</c> (one or
/// several, comma-separated), <c>metadata</c> (a JSON object, as the filter's) and <c>search</c>.
/// </summary>
public static class TaskListQuery
{
    public static IReadOnlyList<TaskState>? Statuses(string? status, RequestErrors errors)
    {
        if (status is null)
        {
            return null;
        }
        var names = status.Split(',', StringSplitOptions.TrimEntries);
        var list = new List<TaskState>(names.Length);
        foreach (var name in names)
        {
            if (!TaskStateNames.TryParse(name, out var s))
            {
                errors.Add("status", $"must be one or more (comma-separated) of {TaskStateNames.AllowedList}");
                return null;
            }
            list.Add(s);
        }
        if (list.Count > ListLimits.MaxFilterValues)
        {
            errors.Add("status", $"must hold 1 to {ListLimits.MaxFilterValues} statuses");
        }
        return list;
    }

    public static IReadOnlyList<MetadataCondition>? Metadata(string? metadata, RequestErrors errors)
    {
        if (metadata is null)
        {
            return null;
        }
        try
        {
            using var doc = JsonDocument.Parse(metadata);
            if (ListFilter.TryMetadata(doc.RootElement, out var pairs) is { } error)
            {
                errors.Add("metadata", error);
                return null;
            }
            return pairs;
        }
        catch (JsonException)
        {
            errors.Add("metadata", "must be a JSON object of key → string, number or boolean, such as {\"team\":\"a\"}");
            return null;
        }
    }

    public static void Search(string? search, RequestErrors errors)
    {
        if (!string.IsNullOrEmpty(search) && ListFilter.CheckText(search) is { } rule)
        {
            errors.Add("search", rule);
        }
    }
}
