using System.Text.Json;
using Microsoft.Data.Sqlite;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Faults;

/// <summary>What the SQLite fault tests share: how the real server is started, and how its data is read back.</summary>
internal static class SqliteFaultServer
{
    public const string Key = "faults-sqlite-admin-key-0001";

    /// <summary>
    /// <c>spectral serve</c> on <paramref name="path"/>. No in-process workers, so only the test's
    /// HTTP worker takes runs; the health log at Information, so recoveries are visible too.
    /// </summary>
    public static Task<ServerProcess> StartAsync(string path, params (string Key, string Value)[] settings)
    {
        var env = new Dictionary<string, string>
        {
            ["Workers__Enabled"] = "false",
            ["Logging__LogLevel__SpectralNotify.Server.Observability.HealthLog"] = "Information",
        };
        foreach (var (k, v) in settings)
        {
            env[k] = v;
        }
        return ServerProcess.StartServerAsync($"sqlite:{path}", Key, "faults-" + Guid.NewGuid().ToString("N")[..6], settings: env);
    }

    /// <summary>An admin client with a timeout, so a hanging request fails the test instead of stalling it.</summary>
    public static HttpClient Client(ServerProcess server, TimeSpan timeout)
    {
        var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = timeout };
        http.DefaultRequestHeaders.Add("X-API-Key", Key);
        return http;
    }

    /// <summary>A task's whole history, oldest first, page by page.</summary>
    public static async Task<List<JsonElement>> EventsAsync(HttpClient http, string taskId)
    {
        var all = new List<JsonElement>();
        long after = 0;
        while (true)
        {
            var page = await (await http.GetAsync($"/api/v1/tasks/{taskId}/events?after={after}&limit=500")).ExpectAsync(200);
            all.AddRange(page.GetProperty("data").EnumerateArray());
            if (page.GetProperty("next").ValueKind == JsonValueKind.Null)
            {
                return all;
            }
            after = page.GetProperty("next").GetInt64();
        }
    }

    /// <summary><c>PRAGMA integrity_check</c> from this process, read-only: "ok" for an undamaged file.</summary>
    public static string IntegrityCheck(string path)
    {
        using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA integrity_check";
        return string.Join("\n", Rows(cmd));
    }

    private static IEnumerable<string> Rows(SqliteCommand cmd)
    {
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            yield return r.GetString(0);
        }
    }
}
