using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace SpectralNotify.Postgres;

/// <summary>Identifiers derived from the schema name: the notification channel and the migration lock key.</summary>
internal static class PostgresNames
{
    /// <summary>PostgreSQL truncates identifiers to NAMEDATALEN - 1 bytes; pg_notify rejects longer channels.</summary>
    private const int MaxIdentifierBytes = 63;
    private const string ChannelPrefix = "spectral_";

    /// <summary>
    /// <c>spectral_</c> + schema, exactly as given (pg_notify takes the name verbatim and LISTEN
    /// gets it quoted, so case is kept). A name over 63 bytes is shortened and suffixed with a hash
    /// of the full schema name, so distinct schemas keep distinct channels.
    /// </summary>
    public static string Channel(string schema)
    {
        var name = ChannelPrefix + schema;
        if (Encoding.UTF8.GetByteCount(name) <= MaxIdentifierBytes)
        {
            return name;
        }
        var suffix = "_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(schema)))[..8];
        var budget = MaxIdentifierBytes - ChannelPrefix.Length - suffix.Length;
        var prefix = new StringBuilder();
        var used = 0;
        foreach (var rune in schema.EnumerateRunes())
        {
            used += rune.Utf8SequenceLength;
            if (used > budget)
            {
                break;
            }
            prefix.Append(rune.ToString());
        }
        return ChannelPrefix + prefix + suffix;
    }

    /// <summary>
    /// The <c>pg_advisory_lock</c> key of the migrations of <paramref name="schema"/>: the first
    /// 8 bytes of a SHA-256, so every process derives the same key (string.GetHashCode is per process).
    /// </summary>
    public static long MigrationLockKey(string schema) =>
        BinaryPrimitives.ReadInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes("spectral_notify/migrations/" + schema)));

    /// <summary>Double-quotes an identifier, doubling embedded quotes.</summary>
    public static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>
    /// The first schema of a <c>search_path</c> value: quoted entries are taken verbatim, unquoted
    /// ones trimmed and lower-cased, as the server does. <c>public</c> when empty.
    /// </summary>
    /// <exception cref="ArgumentException">The first entry is <c>$user</c>, which names no fixed schema.</exception>
    public static string SchemaFromSearchPath(string? searchPath)
    {
        var text = (searchPath ?? "").TrimStart();
        if (text.Length == 0)
        {
            return "public";
        }
        string schema;
        if (text[0] == '"')
        {
            var sb = new StringBuilder();
            for (var i = 1; i < text.Length; i++)
            {
                if (text[i] == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        sb.Append('"');
                        i++;
                        continue;
                    }
                    break;
                }
                sb.Append(text[i]);
            }
            schema = sb.ToString();
        }
        else
        {
            var comma = text.IndexOf(',', StringComparison.Ordinal);
            schema = AsciiLower((comma < 0 ? text : text[..comma]).Trim());
        }
        if (schema.Length == 0)
        {
            return "public";
        }
        if (schema == "$user")
        {
            throw new ArgumentException("The Search Path must start with a schema name, not $user: the engine needs to know where its tables are.");
        }
        return schema;
    }

    /// <summary>The server folds only A-Z of an unquoted identifier in a multi-byte encoding.</summary>
    private static string AsciiLower(string s) =>
        string.Create(s.Length, s, static (span, src) =>
        {
            for (var i = 0; i < src.Length; i++)
            {
                span[i] = char.IsAsciiLetterUpper(src[i]) ? (char)(src[i] + ('a' - 'A')) : src[i];
            }
        });
}
