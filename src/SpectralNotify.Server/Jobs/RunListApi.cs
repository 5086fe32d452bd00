using System.Text.Json;
using System.Text.Json.Nodes;
using SpectralNotify.Lists;
using SpectralNotify.Server.Api.V1;
using SpectralNotify.Server.Api.V1.Contracts;
using SpectralNotify.Storage;

namespace SpectralNotify.Server.Jobs;

/// <summary>
/// <c>GET /api/v1/runs</c>: runs of every job (and one-off runs), newest task <c>updatedAt</c> first,
/// filtered exactly like a live <c>runs</c> list: the query parameters become a <see cref="ListFilter"/>
/// and its rules and messages apply, each named by its parameter. One page (no cursor): a list that
/// changes while it is paged belongs on the live endpoint, which resumes from a cursor.
/// </summary>
public static class RunListApi
{
    public static async Task<IResult> ListAsync(IStore store, CancellationToken ct, string? status = null, string? state = null,
        string? type = null, string? queue = null, string? jobId = null, string? createdAfter = null, string? createdBefore = null,
        int? limit = null)
    {
        var errors = new RequestErrors();
        var fields = new JsonObject();
        // Parsed one field at a time, so every bad parameter is reported under its own name.
        void Field(string name, string? raw, bool list)
        {
            if (raw is null)
            {
                return;
            }
            JsonNode value = list ? new JsonArray([.. raw.Split(',').Select(s => JsonValue.Create(s))]) : JsonValue.Create(raw);
            var one = new JsonObject { [name] = value.DeepClone() };
            if (ListFilter.TryParse(ListKind.Runs, JsonSerializer.SerializeToElement(one), out _, out var error))
            {
                fields[name] = value;
            }
            else
            {
                errors.Add(name, error);
            }
        }
        Field("status", status, list: true);
        Field("state", state, list: true);
        Field("type", type, list: false);
        Field("queue", queue, list: false);
        Field("jobId", jobId, list: false);
        Field("createdAfter", createdAfter, list: false);
        Field("createdBefore", createdBefore, list: false);
        if (limit is < 1 or > ListLimits.MaxLimit)
        {
            errors.Add("limit", $"must be 1 to {ListLimits.MaxLimit}");
        }
        if (errors.Any || !ListFilter.TryParse(ListKind.Runs, JsonSerializer.SerializeToElement(fields), out var filter, out _))
        {
            return TasksApi.Invalid(errors);
        }
        var rows = await store.RunListLiveAsync(filter, limit ?? ListLimits.DefaultLimit, ct);
        return TypedResults.Ok(new Page<RunDto>([.. rows.Select(r => RunDto.From(r.Run, r.Task))], null));
    }
}
