using System.Text;

namespace SpectralNotify.Tests.Infrastructure;

/// <summary>A minimal server-sent-events reader: yields (id, event, data) per dispatched event.</summary>
public sealed class SseReader(Stream stream)
{
    private readonly StreamReader _reader = new(stream, Encoding.UTF8);

    /// <summary>The text of the last comment line (<c>: …</c>) read so far.</summary>
    public string? LastComment { get; private set; }

    public async Task<(string? Id, string? Event, string Data)?> NextAsync(CancellationToken ct)
    {
        string? id = null, type = null;
        var data = new StringBuilder();
        while (await _reader.ReadLineAsync(ct) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Length > 0)
                {
                    return (id, type, data.ToString());
                }
                id = null;
                type = null;
                continue;
            }
            if (line.StartsWith(':'))
            {
                LastComment = line[1..].TrimStart(' ');
                continue;
            }
            var colon = line.IndexOf(':');
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "id": id = value; break;
                case "event": type = value; break;
                case "data": data.Append(value); break;
            }
        }
        return null;
    }
}
