using System.CommandLine;
using System.Globalization;
using SpectralNotify.Client.Models;

namespace SpectralNotify.Cli;

/// <summary><c>spectral counters get|watch</c>.</summary>
public static class CountersCommand
{
    /// <summary>The <c>counters</c> verb and its subcommands.</summary>
    public static Command Create()
    {
        var counters = new Command("counters", "Show or watch a counter.");
        var name = new Argument<string>("name") { Description = "The counter's name." };
        var get = new Command("get", "Show a counter's value.") { name };
        ClientVerb.SetAction(get, async (p, client, ct) => Write(p, await client.Counters.GetAsync(p.GetRequiredValue(name), ct)));
        counters.Subcommands.Add(get);
        counters.Subcommands.Add(WatchCommand.ForCounters());
        return counters;
    }

    private static int Write(ParseResult p, Counter counter) => Output.Write(p, counter, c => Output.Fields(
        ("Name", c.Name),
        ("Value", c.Value.ToString(CultureInfo.InvariantCulture)),
        ("Operations", c.OperationCount.ToString(CultureInfo.InvariantCulture)),
        ("Updated", Output.Time(c.UpdatedAt)),
        ("Last seq", c.LastSeq.ToString(CultureInfo.InvariantCulture))));
}
