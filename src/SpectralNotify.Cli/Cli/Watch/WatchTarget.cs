using System.Globalization;
using System.Text.Json;
using SpectralNotify.Client;
using SpectralNotify.Client.Live;
using SpectralNotify.Client.Models;

namespace SpectralNotify.Cli;

/// <summary>
/// What <c>watch</c> needs to know about one kind of entity: its live topic, its dashboard page,
/// how to read it once, and how to turn each live change into a <see cref="WatchUpdate"/>.
/// </summary>
public abstract class WatchTarget
{
    /// <summary>The noun in messages: task, run, workflow, counter.</summary>
    public abstract string Noun { get; }

    /// <summary>The entity's dashboard page, <c>&lt;server&gt;/ui/&lt;kind&gt;s/&lt;id&gt;</c>.</summary>
    public string DashboardUrl(Uri server, string id) => $"{server.AbsoluteUri.TrimEnd('/')}/ui/{Noun}s/{Uri.EscapeDataString(id)}";

    /// <summary>Reads the entity once (so a wrong key or a missing entity fails before the live connection); returns its title for the bar.</summary>
    public abstract Task<string> CheckAsync(SpectralClient client, string id, CancellationToken ct);

    /// <summary>Every change of the entity from its first seq, then its end.</summary>
    public abstract IAsyncEnumerable<WatchUpdate> WatchAsync(SpectralClient client, string id, CancellationToken ct);

    /// <summary>The watch of topic <c>{Noun}:{id}</c> from the start of its history, each change mapped by <paramref name="map"/>.</summary>
    protected async IAsyncEnumerable<WatchUpdate> Watch<TEntity, TEvent>(SpectralClient client, string id,
        Func<LiveChange<TEntity, TEvent>, WatchUpdate> map, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        // After = 0: the whole history first, so the log shows every event once, then live changes.
        var options = new LiveWatchOptions { After = 0, Snapshot = false };
        await foreach (var change in client.Live.WatchAsync<TEntity, TEvent>($"{Noun}:{id}", options, ct))
        {
            yield return map(change);
        }
    }

    /// <summary>The <c>-o jsonl</c> object of a change: its kind, seq and epoch, and the REST shapes.</summary>
    protected static object Json<TEntity, TEvent>(LiveChange<TEntity, TEvent> c) => new JsonlChange<TEntity, TEvent>(
        c.Kind.ToString().ToLowerInvariant(), c.Seq, c.Epoch, c.Event, c.Entity, c.EndReason, c.Task);

    /// <summary>The plain line of an end or reset, or null for other kinds.</summary>
    protected string? Special<TEntity, TEvent>(LiveChange<TEntity, TEvent> c, string id) => c.Kind switch
    {
        LiveChangeKind.End => $"{Noun} {id} ended: {c.EndReason}",
        LiveChangeKind.Reset => $"{Noun} {id} was created again (epoch {c.Epoch}): starting over",
        _ => null,
    };

    /// <summary><c>#seq time type [progress] message</c>.</summary>
    protected static string EventLine(long seq, DateTimeOffset at, string type, double? progress, string message) =>
        $"#{seq.ToString(CultureInfo.InvariantCulture)} {Output.Time(at)} {type}{(progress is { } p ? " " + Output.Percent(p) : "")}{(message.Length > 0 ? " " + message : "")}";

    private sealed record JsonlChange<TEntity, TEvent>(string Kind, long Seq, string? Epoch, TEvent? Event, TEntity? Entity, string? EndReason, SpectralTask? Task);
}
