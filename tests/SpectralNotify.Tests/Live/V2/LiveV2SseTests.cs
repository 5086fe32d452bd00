using System.Net.Http.Headers;
using System.Text.Json;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Live.V2;

/// <summary>The SSE twin of protocol v2: one subscription per stream, event ids that resume with Last-Event-ID, 400/403 before the stream.</summary>
public sealed class LiveV2SseTests
{
    private static async Task<(HttpResponseMessage Response, SseReader Reader)> OpenAsync(HttpClient http, string query, string? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/live/sse?" + query);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return (response, new SseReader(await response.Content.ReadAsStreamAsync()));
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task An_entity_stream_carries_epoch_and_seq_ids_and_resumes_from_Last_Event_ID(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var http = host.Client();
        await http.CreateTaskAsync("t");
        for (var i = 0; i < 3; i++)
        {
            await (await http.PostJsonAsync("/api/v1/tasks/t/events", $$"""{"type":"log","message":"m{{i}}"}""")).ExpectAsync(201);
        }
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var reader = host.Client(TestHost.ReadKey);
        var (response, sse) = await OpenAsync(reader, "topic=task:t&after=0");
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var subscribed = (await sse.NextAsync(cts.Token))!.Value;
        Assert.Equal("subscribed", subscribed.Event);
        string? lastId = null;
        for (var seq = 1; seq <= 4; seq++)
        {
            var e = (await sse.NextAsync(cts.Token))!.Value;
            Assert.Equal("change", e.Event);
            using var doc = JsonDocument.Parse(e.Data);
            Assert.Equal("sse", doc.RootElement.GetProperty("id").GetString());
            Assert.Equal(seq, doc.RootElement.GetProperty("seq").GetInt64());
            Assert.EndsWith(":" + seq, e.Id, StringComparison.Ordinal);
            lastId = e.Id;
            if (seq == 2)
            {
                break;
            }
        }
        response.Dispose();

        var (again, resumed) = await OpenAsync(reader, "topic=task:t", lastId);
        using (again)
        {
            var s = (await resumed.NextAsync(cts.Token))!.Value;
            using (var doc = JsonDocument.Parse(s.Data))
            {
                Assert.True(doc.RootElement.GetProperty("recovered").GetBoolean());
            }
            var next = (await resumed.NextAsync(cts.Token))!.Value;
            using var change = JsonDocument.Parse(next.Data);
            Assert.Equal(3, change.RootElement.GetProperty("seq").GetInt64());
        }
    }

    [Fact]
    public async Task Bad_and_forbidden_requests_are_answered_before_the_stream()
    {
        await using var host = await TestHost.StartAsync(Engine.Sqlite);
        var http = host.Client(TestHost.ReadKey);
        var (missing, _) = await OpenAsync(http, "snapshot=true");
        Assert.Equal(400, (int)missing.StatusCode);
        var (badFilter, _) = await OpenAsync(http, "topic=tasks&filter=" + Uri.EscapeDataString("""{"planet":"mars"}"""));
        Assert.Equal(400, (int)badFilter.StatusCode);
        var write = host.Client(TestHost.WriteKey);
        await write.CreateTaskAsync("a");
        var token = (await (await write.PostJsonAsync("/api/v1/tokens", """{"scopes":["read:tasks:a"],"ttlSeconds":600}""")).ExpectAsync(201)).GetProperty("token").GetString()!;
        using var anonymous = new HttpClient { BaseAddress = host.BaseAddress };
        var (forbidden, _) = await OpenAsync(anonymous, "topic=task:b&access_token=" + token);
        Assert.Equal(403, (int)forbidden.StatusCode);
        var (none, _) = await OpenAsync(anonymous, "topic=task:a");
        Assert.Equal(401, (int)none.StatusCode);
    }
}
