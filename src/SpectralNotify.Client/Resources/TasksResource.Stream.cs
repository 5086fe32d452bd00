using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using SpectralNotify.Client.Internal;
using SpectralNotify.Client.Models;

namespace SpectralNotify.Client.Resources;

public sealed partial class TasksResource
{
    /// <summary>
    /// Reads the task's server-sent event stream from seq <paramref name="after"/> (replayed from
    /// storage, then live) until the task ends, the server closes it or <paramref name="ct"/> fires.
    /// One connection, no reconnect: for a watch that survives disconnects use the live watches
    /// (<c>client.Live</c>), which resume by seq.
    /// </summary>
    [ApiRouteName("tasks.stream")]
    public async IAsyncEnumerable<TaskStreamMessage> StreamAsync(string id, long? after = null, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var route = ApiRoutes.TasksStream;
        var path = route.Path(id) + new QueryString().Add("after", after);
        // The long-poll client: the standard handler's 10 s attempt timeout would end a quiet stream.
        using var response = await http.LongPoll.ExchangeAsync(route.Name, route.Method, path, null, null, HttpCompletionOption.ResponseHeadersRead, ct)
            .ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var reader = new StreamReader(stream, Encoding.UTF8);
            long? seq = null;
            string? type = null;
            var data = new StringBuilder();
            while (true)
            {
                string? line;
                try
                {
                    line = await reader.ReadLineAsync(ct).ConfigureAwait(false);
                }
                catch (IOException e)
                {
                    throw new SpectralNetworkException(route.Name, e);
                }
                if (line is null)
                {
                    yield break;
                }
                if (line.Length == 0)
                {
                    if (data.Length > 0)
                    {
                        using var doc = JsonDocument.Parse(data.ToString());
                        yield return new TaskStreamMessage { Seq = seq, Type = type ?? "message", Data = doc.RootElement.Clone() };
                    }
                    (seq, type) = (null, null);
                    data.Clear();
                    continue;
                }
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                var field = colon < 0 ? line : line[..colon];
                var value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
                switch (field)
                {
                    case "id" when long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n):
                        seq = n;
                        break;
                    case "event":
                        type = value;
                        break;
                    case "data":
                        if (data.Length > 0)
                        {
                            data.Append('\n');
                        }
                        data.Append(value);
                        break;
                }
            }
        }
    }
}
