using System.Buffers.Text;
using System.Globalization;
using System.Text;
using SpectralNotify.Storage;

namespace SpectralNotify.Server.Api.V1;

/// <summary>Opaque list cursors: base64url of <c>createdAt|id</c> of the last row returned.</summary>
public static class Cursors
{
    public static string Encode(TaskCursor c) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{Clock.ToWire(c.CreatedAt)}|{c.Id}"));

    public static bool TryDecode(string raw, out TaskCursor? cursor)
    {
        cursor = null;
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(raw));
            var bar = text.IndexOf('|', StringComparison.Ordinal);
            if (bar < 0 || !DateTimeOffset.TryParseExact(text[..bar], "yyyy-MM-dd'T'HH:mm:ss.fff'Z'",
                    CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                return false;
            }
            var id = text[(bar + 1)..];
            if (id.Length == 0 || id.Any(char.IsControl) || !RequestErrors.WellFormed(id))
            {
                return false;
            }
            cursor = new TaskCursor(at, id);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
