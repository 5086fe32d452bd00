using System.Globalization;
using System.Text;

namespace SpectralNotify.Client.Internal;

/// <summary>Builds <c>?a=1&amp;b=2</c>, leaving out null values; times in the server's wire form.</summary>
internal sealed class QueryString
{
    private readonly StringBuilder builder = new();

    public QueryString Add(string name, string? value)
    {
        if (value is not null)
        {
            builder.Append(builder.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
        }
        return this;
    }

    public QueryString Add(string name, long? value) => Add(name, value?.ToString(CultureInfo.InvariantCulture));

    public QueryString Add(string name, bool? value) => Add(name, value is null ? null : value.Value ? "true" : "false");

    public QueryString Add(string name, DateTimeOffset? value) =>
        Add(name, value?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));

    public QueryString Add(string name, IReadOnlyList<string>? values) =>
        Add(name, values is null || values.Count == 0 ? null : string.Join(',', values));

    public override string ToString() => builder.ToString();
}
