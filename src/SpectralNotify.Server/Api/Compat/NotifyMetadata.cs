using System.Buffers;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace SpectralNotify.Server.Api.Compat;

/// <summary>
/// The reference's <c>NotifyMetadata</c> schema (protocol §2.1): checks <c>author</c>,
/// <c>origin</c>, <c>purpose</c> and <c>tags</c>, fills their defaults, drops unknown keys inside
/// them, keeps unknown top-level keys, and writes the JSON text the reference would store:
/// known keys first in schema order, then the others in input order.
/// </summary>
public static partial class NotifyMetadata
{
    private static readonly string[] AuthorTypes = ["user", "system", "service"];
    private static readonly string[] Repos = ["spectralTranscript", "spectralNotify", "external"];
    private static readonly string[] Apps = ["web", "native", "server", "api", "cli"];
    private static readonly HashSet<string> Known = ["author", "origin", "purpose", "tags"];

    // zod 4's email pattern (z.email()), as its issue reports it.
    private const string EmailPattern = @"^(?!\.)(?!.*\.\.)([A-Za-z0-9_'+\-\.]*)[A-Za-z0-9_+-]@([A-Za-z0-9][A-Za-z0-9\-]*\.)+[A-Za-z]{2,}$";

    [GeneratedRegex(EmailPattern)]
    private static partial Regex Email();

    /// <summary>
    /// Reads <c>metadata</c> from <paramref name="parent"/> and returns its normalised JSON text, or null
    /// when it is absent (and optional) or invalid (the problems are recorded on the input).
    /// <paramref name="systemAuthor"/> adds the reference's <c>{"type":"system","id":"system","name":"System"}</c>
    /// author, after the other keys, when none was given (tasks/create and workflows/create).
    /// </summary>
    public static string? Read(Fields parent, bool required, bool systemAuthor = false)
    {
        var fields = parent.Object("metadata", optional: !required);
        if (fields is null)
        {
            return null;
        }
        var before = fields.Input.Issues.Count;
        var author = fields.Object("author", optional: true);
        var authorType = author?.Enum("type", AuthorTypes, "user");
        var authorId = author?.String("id", min: 1, max: V1.Limits.MaxIdLength);
        var authorName = author?.String("name", optional: true);
        var authorEmail = author?.String("email", optional: true);
        if (authorEmail is not null && !Email().IsMatch(authorEmail))
        {
            fields.Input.Add(ZodIssue.InvalidFormat([.. author!.Path, "email"], "email", EmailPattern, "Invalid email address"));
        }
        var origin = fields.Object("origin", optional: true);
        var repo = origin?.Enum("repo", Repos, "spectralTranscript");
        var app = origin?.Enum("app", Apps, "server");
        var module = origin?.String("module", optional: true);
        var source = origin?.String("source", optional: true);
        if (source is not null && !Uri.TryCreate(source, UriKind.Absolute, out _))
        {
            fields.Input.Add(ZodIssue.InvalidFormat([.. origin!.Path, "source"], "url", null, "Invalid URL"));
        }
        var purpose = fields.Object("purpose", optional: true);
        var title = purpose?.String("title", min: 1, max: 140);
        var description = purpose?.String("description", max: 2000, optional: true);
        var tags = fields.Array("tags", optional: true);
        if (tags is not null)
        {
            if (tags.Count > 12)
            {
                fields.Input.Add(ZodIssue.TooBig(fields.PathOf("tags"), "array", 12, true));
            }
            for (var i = 0; i < tags.Count; i++)
            {
                if (tags[i].ValueKind != JsonValueKind.String)
                {
                    fields.Input.Add(ZodIssue.InvalidType([.. fields.PathOf("tags"), i], "string", ZodIssue.Received(tags[i])));
                }
            }
        }
        if (fields.Input.Issues.Count > before)
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, Wire.ReferenceRows.Options))
        {
            w.WriteStartObject();
            if (author is not null)
            {
                w.WriteStartObject("author");
                w.WriteString("type", authorType);
                w.WriteString("id", authorId);
                Optional(w, "name", authorName);
                Optional(w, "email", authorEmail);
                w.WriteEndObject();
            }
            if (origin is not null)
            {
                w.WriteStartObject("origin");
                w.WriteString("repo", repo);
                w.WriteString("app", app);
                Optional(w, "module", module);
                Optional(w, "source", source);
                w.WriteEndObject();
            }
            if (purpose is not null)
            {
                w.WriteStartObject("purpose");
                w.WriteString("title", title);
                Optional(w, "description", description);
                w.WriteEndObject();
            }
            if (tags is not null)
            {
                w.WriteStartArray("tags");
                foreach (var t in tags)
                {
                    w.WriteStringValue(t.GetString());
                }
                w.WriteEndArray();
            }
            foreach (var p in fields.Properties.Where(p => !Known.Contains(p.Name)))
            {
                p.WriteTo(w);
            }
            if (author is null && systemAuthor)
            {
                w.WriteStartObject("author");
                w.WriteString("type", "system");
                w.WriteString("id", "system");
                w.WriteString("name", "System");
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        if (buffer.WrittenCount > V1.Limits.MaxJsonObjectBytes)
        {
            fields.Input.Add(ZodIssue.Custom(parent.PathOf("metadata"),
                $"metadata is {buffer.WrittenCount} bytes of JSON; at most {V1.Limits.MaxJsonObjectBytes} are accepted"));
            return null;
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void Optional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }
}
