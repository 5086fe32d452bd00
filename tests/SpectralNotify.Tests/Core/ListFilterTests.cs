using System.Text.Json;
using SpectralNotify.Jobs;
using SpectralNotify.Lists;
using SpectralNotify.Tasks;
using SpectralNotify.Workflows;

namespace SpectralNotify.Tests.Core;

/// <summary>Live list filters without a database: each parsing rule, in-memory matching and cursors.</summary>
public sealed class ListFilterTests
{
    private static string? Error(ListKind kind, string json)
    {
        using var doc = JsonDocument.Parse(json);
        Assert.False(ListFilter.TryParse(kind, doc.RootElement, out var filter, out var error));
        Assert.Null(filter);
        return error;
    }

    private static ListFilter Parse(ListKind kind, string json)
    {
        using var doc = JsonDocument.Parse(json);
        Assert.True(ListFilter.TryParse(kind, doc.RootElement, out var filter, out var error), error);
        return filter;
    }

    [Fact]
    public void Absent_or_null_matches_everything()
    {
        Assert.Same(ListFilter.All, Parse(ListKind.Tasks, "null"));
        Assert.True(ListFilter.TryParse(ListKind.Runs, null, out var absent, out _));
        Assert.Same(ListFilter.All, absent);
    }

    [Fact]
    public void Not_an_object() => Assert.Equal("filter must be a JSON object (or null for every row)", Error(ListKind.Tasks, "[]"));

    [Fact]
    public void Unknown_field() => Assert.Equal(
        "unknown field 'colour': a workflows filter takes status, metadata, createdAfter, createdBefore", Error(ListKind.Workflows, """{"colour":1}"""));

    [Fact]
    public void Field_of_another_kind() =>
        Assert.Equal("queue does not apply to tasks lists (it applies to runs)", Error(ListKind.Tasks, """{"queue":"q"}"""));

    [Fact]
    public void Metadata_on_runs() =>
        Assert.Equal("metadata does not apply to runs lists (it applies to tasks and workflows)", Error(ListKind.Runs, """{"metadata":{"a":1}}"""));

    [Fact]
    public void Field_given_twice() => Assert.Equal("type is given twice", Error(ListKind.Tasks, """{"type":"a","type":"b"}"""));

    [Fact]
    public void Status_not_an_array() => Assert.Equal("status must be an array of task statuses", Error(ListKind.Tasks, """{"status":"pending"}"""));

    [Fact]
    public void Status_empty() => Assert.Equal("status must hold 1 to 20 task statuses, not 0", Error(ListKind.Tasks, """{"status":[]}"""));

    [Fact]
    public void Status_too_many() =>
        Assert.Equal("status must hold 1 to 20 task statuses, not 21", Error(ListKind.Tasks, "{\"status\":[" + string.Join(",", Enumerable.Repeat("\"pending\"", 21)) + "]}"));

    [Fact]
    public void Status_unknown() => Assert.Equal(
        "status holds 'done', which is not a status (pending, in-progress, success, failed, canceled)", Error(ListKind.Workflows, """{"status":["done"]}"""));

    [Fact]
    public void Status_not_strings() => Assert.Equal("status must be an array of task statuses (strings)", Error(ListKind.Tasks, """{"status":[1]}"""));

    [Fact]
    public void State_unknown() =>
        Assert.Equal("state holds 'failed', which is not a run state (pending, reserved, running, done)", Error(ListKind.Runs, """{"state":["failed"]}"""));

    [Fact]
    public void Text_of_the_wrong_type() => Assert.Equal("jobId must be a string", Error(ListKind.Runs, """{"jobId":7}"""));

    [Fact]
    public void Text_empty() => Assert.Equal("type must be 1 to 200 characters", Error(ListKind.Tasks, """{"type":""}"""));

    [Fact]
    public void Text_too_long() => Assert.Equal("queue must be 1 to 200 characters", Error(ListKind.Runs, $$"""{"queue":"{{new string('q', 201)}}"}"""));

    [Fact]
    public void Text_with_nul() => Assert.Equal("workflowId must not contain NUL or U+FFFF", Error(ListKind.Tasks, """{"workflowId":"a\u0000"}"""));

    [Fact]
    public void Text_with_a_lone_surrogate() => Assert.Equal("type must be valid Unicode text", Error(ListKind.Tasks, """{"type":"\ud800"}"""));

    [Fact]
    public void Metadata_not_an_object() =>
        Assert.Equal("metadata must be an object of key → string, number or boolean", Error(ListKind.Tasks, """{"metadata":[1]}"""));

    [Fact]
    public void Metadata_empty() => Assert.Equal("metadata must hold 1 to 20 pairs, not an empty object", Error(ListKind.Tasks, """{"metadata":{}}"""));

    [Fact]
    public void Metadata_too_many() => Assert.Equal("metadata must hold 1 to 20 pairs",
        Error(ListKind.Tasks, "{\"metadata\":{" + string.Join(",", Enumerable.Range(0, 21).Select(i => $"\"k{i}\":1")) + "}}"));

    [Fact]
    public void Metadata_value_not_a_scalar() =>
        Assert.Equal("metadata.a must be a string, number or boolean (top-level values only)", Error(ListKind.Workflows, """{"metadata":{"a":{"b":1}}}"""));

    [Fact]
    public void Metadata_null_value() =>
        Assert.Equal("metadata.a must be a string, number or boolean (top-level values only)", Error(ListKind.Tasks, """{"metadata":{"a":null}}"""));

    [Fact]
    public void Metadata_number_out_of_range() =>
        Assert.Equal("metadata.a must be a number within the double range", Error(ListKind.Tasks, """{"metadata":{"a":1e400}}"""));

    [Fact]
    public void Metadata_key_empty() => Assert.Equal("metadata key '' must be 1 to 200 characters", Error(ListKind.Tasks, """{"metadata":{"":1}}"""));

    [Fact]
    public void Metadata_key_twice() => Assert.Equal("metadata.a is given twice", Error(ListKind.Tasks, """{"metadata":{"a":1,"a":2}}"""));

    [Fact]
    public void Metadata_value_too_long() =>
        Assert.Equal("metadata.a must be 0 to 200 characters", Error(ListKind.Tasks, $$$"""{"metadata":{"a":"{{{new string('x', 201)}}}"}}"""));

    [Theory]
    [InlineData("\"yesterday\"")]
    [InlineData("\"2026-01-02\"")]
    [InlineData("\"2026-01-02T03:04:05\"")]
    [InlineData("\"2026-13-02T03:04:05Z\"")]
    [InlineData("1767322800000")]
    public void Bad_instant(string value) => Assert.Equal(
        "createdAfter must be an ISO-8601 instant with a time zone, such as 2026-01-02T03:04:05Z", Error(ListKind.Tasks, $$"""{"createdAfter":{{value}}}"""));

    [Fact]
    public void Instants_are_rounded_outward_to_milliseconds_so_the_bounds_stay_exclusive()
    {
        var f = Parse(ListKind.Tasks, """{"createdAfter":"2026-01-02T03:04:05.1234+01:00","createdBefore":"2026-01-02T03:04:05.1234Z"}""");
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 2, 4, 5, 123, TimeSpan.Zero), f.CreatedAfter);
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, 124, TimeSpan.Zero), f.CreatedBefore);
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, 123, TimeSpan.Zero),
            Parse(ListKind.Tasks, """{"createdBefore":"2026-01-02T03:04:05.123Z"}""").CreatedBefore);
    }

    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_run_matches_on_its_tasks_status_and_its_own_fields()
    {
        var run = new JobRun { TaskId = "r", Type = "mail", Queue = "fast", JobId = "j", State = JobRun.Running, CreatedAt = T0 };
        var task = new TaskItem { Id = "r", Type = "other", Status = TaskState.InProgress, CreatedAt = T0.AddDays(1) };
        Assert.True(Parse(ListKind.Runs, """{"status":["in-progress"],"state":["running"],"type":"mail","queue":"fast","jobId":"j","createdBefore":"2026-01-01T00:00:00.001Z"}""").Matches(run, task));
        Assert.False(Parse(ListKind.Runs, """{"state":["pending","done"]}""").Matches(run, task));
        Assert.False(Parse(ListKind.Runs, """{"type":"other"}""").Matches(run, task));
        Assert.True(ListFilter.ForJob("j").Matches(run, task));
        Assert.False(ListFilter.ForJob("j").Matches(task));
    }

    [Fact]
    public void Metadata_numbers_compare_as_doubles_and_kinds_must_agree()
    {
        var task = new TaskItem { Id = "t", Metadata = """{"n":1.0,"s":"1","b":true,"big":1e400}""" };
        var row = ListRow.ForTask(task);
        Assert.True(Parse(ListKind.Tasks, """{"metadata":{"n":1}}""").Matches(row));
        Assert.True(Parse(ListKind.Tasks, """{"metadata":{"n":1e0,"b":true,"s":"1"}}""").Matches(row));
        Assert.False(Parse(ListKind.Tasks, """{"metadata":{"s":1}}""").Matches(row));
        Assert.False(Parse(ListKind.Tasks, """{"metadata":{"b":"true"}}""").Matches(row));
        Assert.False(Parse(ListKind.Tasks, """{"metadata":{"missing":true}}""").Matches(row));
        Assert.False(Parse(ListKind.Tasks, """{"metadata":{"big":1.7976931348623157e308}}""").Matches(row));
        var workflow = new Workflow { Id = "w", Status = TaskState.Success, Metadata = """{"team":"a"}""" };
        Assert.True(Parse(ListKind.Workflows, """{"status":["success"],"metadata":{"team":"a"}}""").Matches(workflow));
    }

    [Fact]
    public void Rows_sort_newest_first_then_by_id_descending()
    {
        var rows = new[] { ("a", 1), ("b", 2), ("c", 1) }.Select(x => ListRow.ForTask(new TaskItem { Id = x.Item1, UpdatedAt = T0.AddMilliseconds(x.Item2) }));
        Assert.Equal(["b", "c", "a"], rows.Order(ListRow.NewestFirst).Select(r => r.Id));
    }

    [Fact]
    public void Cursors_round_trip_at_millisecond_precision()
    {
        var at = new DateTimeOffset(2026, 5, 6, 7, 8, 9, 123, TimeSpan.FromHours(2)).AddTicks(4567);
        var text = ListCursor.Format(at);
        Assert.StartsWith("l1.", text, StringComparison.Ordinal);
        Assert.Matches("^[A-Za-z0-9._-]+$", text);
        Assert.True(ListCursor.TryParse(text, out var back));
        Assert.Equal(Clock.Truncate(at), back);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("l1.")]
    [InlineData("l2.AAABjN0Jq0s")]
    [InlineData("l1.AAABjN0Jq0s=")]
    [InlineData("l1.AAABjN0Jq0!")]
    [InlineData("l1.gAAAAAAAAAA")]
    [InlineData("l1.AAABjN0Jq0t")]
    public void Cursors_refuse_anything_they_did_not_write(string? text)
    {
        Assert.True(ListCursor.TryParse(ListCursor.Format(DateTimeOffset.FromUnixTimeMilliseconds(0x18CDD09AB4B)), out _));
        Assert.False(ListCursor.TryParse(text, out _));
    }
}
