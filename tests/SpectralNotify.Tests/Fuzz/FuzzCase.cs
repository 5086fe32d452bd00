using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CsCheck;

namespace SpectralNotify.Tests.Fuzz;

/// <summary>One generated request: a route's valid template, a caller, one mutation, and the id <c>{new}</c> stands for.</summary>
public sealed partial record FuzzCase(RouteTemplate Template, Caller Caller, Mutation Mutation, string NewId)
{
    /// <summary>Mostly valid templates with one thing replaced by an edge value, plus some fully random bodies.</summary>
    public static readonly Gen<Mutation> Mutations = Gen.Frequency(
        (15, Gen.Const<Mutation>(new Unchanged())),
        (35, Gen.Int[0, 63].Select(Gen.OneOf([.. EdgeValues.Values]), (slot, edge) => (Mutation)new BodyValue(slot, edge))),
        (7, Gen.Int[0, 63].Select(Gen.OneOf([.. EdgeValues.Keys]), (slot, edge) => (Mutation)new BodyKey(slot, edge))),
        (12, Gen.Int[0, 3].Select(Gen.OneOf([.. EdgeValues.PathIds]), (slot, id) => (Mutation)new PathId(slot, id))),
        (8, Gen.OneOf([.. EdgeValues.QueryNames]).Select(Gen.OneOf([.. EdgeValues.QueryValues]), (name, value) => (Mutation)new QueryValue(name, value))),
        (8, Gen.OneOf([.. EdgeValues.Headers]).Select(h => (Mutation)new Header(h.Name, h.Value))),
        (5, Gen.OneOf([.. EdgeValues.ContentTypes]).Select(t => (Mutation)new ContentType(t))),
        (6, Gen.OneOf([.. EdgeValues.Bodies]).Select(b => (Mutation)new WholeBody(b))),
        (4, Gen.Int.Select(seed => (Mutation)new WholeBody(EdgeValues.RandomJson(seed)))));

    public static readonly Gen<FuzzCase> All =
        Gen.Select(Gen.Int[0, RouteTemplates.All.Count - 1], Gen.Int[0, Caller.All.Count - 1], Mutations, Gen.Int[0, 9_999_999],
            (t, c, m, n) => new FuzzCase(RouteTemplates.All[t], Caller.All[c], m, $"fz-{n}"));

    public override string ToString() => $"{Caller} {Template.Method} {Template.Path} ({Template.Framing}) [{Mutation}] {{new}}={NewId}";

    private const string ValueMarker = "@@FUZZ-VALUE@@";
    private const string KeyMarker = "@@FUZZ-KEY@@";

    [GeneratedRegex(@"\{[a-z]+\}")]
    private static partial Regex Placeholder();

    /// <summary>The request to send, with the fixture's ids filled in.</summary>
    public RenderedRequest Render(FuzzFixture fixture, IReadOnlyList<KeyValuePair<string, string>> callerHeaders)
    {
        var path = Template.Path;
        if (Mutation is PathId p)
        {
            var ids = Placeholder().Matches(path);
            if (ids.Count > 0)
            {
                var m = ids[p.Slot % ids.Count];
                path = path[..m.Index] + p.Segment + path[(m.Index + m.Length)..];
            }
            else
            {
                var q = path.IndexOf('?', StringComparison.Ordinal);
                var (route, rest) = q < 0 ? (path, "") : (path[..q], path[q..]);
                path = $"{route.TrimEnd('/')}/{p.Segment}{rest}";
            }
        }
        path = fixture.Fill(path, NewId);
        if (Mutation is QueryValue query)
        {
            path += (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + query.Name + "=" + query.Value;
        }

        var headers = new List<KeyValuePair<string, string>>(callerHeaders);
        if (Template.Idempotent || (Template.Method != "GET" && Template.Framing == Framing.Http && NewId.Length % 3 == 0))
        {
            headers.Add(new("Idempotency-Key", $"key-{NewId}"));
        }
        if (Template.IfMatch is { } version)
        {
            headers.Add(new("If-Match", version));
        }
        if (Mutation is Header h)
        {
            headers.RemoveAll(x => string.Equals(x.Key, h.Name, StringComparison.OrdinalIgnoreCase));
            headers.Add(new(h.Name, h.Value));
        }

        var body = Body(fixture);
        var contentType = Mutation is ContentType ct ? ct.Value : body is null ? null : "application/json";
        return new RenderedRequest(Template.Method, path, headers, contentType, body, Template.Framing);
    }

    private byte[]? Body(FuzzFixture fixture)
    {
        if (Mutation is WholeBody whole)
        {
            return whole.Body.Raw;
        }
        if (Template.Body is null)
        {
            return null;
        }
        var input = Encoding.UTF8.GetBytes(fixture.Fill(Template.Body, NewId));
        if (Mutation is BodyValue or BodyKey)
        {
            input = Splice(JsonNode.Parse(input)!);
        }
        return Template.Framing == Framing.CompatRpc ? [.. "{\"json\":"u8, .. input, (byte)'}'] : input;
    }

    /// <summary>Puts a marker where the edge goes, serializes, then swaps the marker's JSON string for the edge's raw bytes.</summary>
    private byte[] Splice(JsonNode root)
    {
        var slots = new List<(JsonNode Parent, string? Name, int Index)>();
        Collect(root, slots);
        var (marker, edge) = Mutation switch
        {
            BodyValue v => (ValueMarker, v.Value),
            BodyKey k => (KeyMarker, k.Key),
            _ => throw new InvalidOperationException(),
        };
        var slot = Mutation is BodyValue bv ? bv.Slot : ((BodyKey)Mutation).Slot;
        var candidates = Mutation is BodyKey ? slots.Where(s => s.Name is not null).ToList() : slots;
        if (candidates.Count == 0)
        {
            return Encoding.UTF8.GetBytes(root.ToJsonString());
        }
        var (parent, name, index) = candidates[slot % candidates.Count];
        if (Mutation is BodyKey)
        {
            var obj = (JsonObject)parent;
            var value = obj[name!];
            obj.Remove(name!);
            obj[KeyMarker] = value;
        }
        else if (name is not null)
        {
            ((JsonObject)parent)[name] = ValueMarker;
        }
        else
        {
            ((JsonArray)parent)[index] = ValueMarker;
        }
        var text = Encoding.UTF8.GetBytes(root.ToJsonString());
        var quoted = Encoding.UTF8.GetBytes($"\"{marker}\"");
        var at = text.AsSpan().IndexOf(quoted);
        return [.. text.AsSpan(0, at), .. edge.Raw, .. text.AsSpan(at + quoted.Length)];
    }

    private static void Collect(JsonNode node, List<(JsonNode, string?, int)> slots)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (name, value) in o.ToList())
                {
                    slots.Add((o, name, -1));
                    if (value is not null)
                    {
                        Collect(value, slots);
                    }
                }
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    slots.Add((a, null, i));
                    if (a[i] is { } item)
                    {
                        Collect(item, slots);
                    }
                }
                break;
        }
    }
}

/// <summary>A fuzz case ready to send.</summary>
public sealed record RenderedRequest(
    string Method, string PathAndQuery, IReadOnlyList<KeyValuePair<string, string>> Headers, string? ContentType, byte[]? Body, Framing Framing);
