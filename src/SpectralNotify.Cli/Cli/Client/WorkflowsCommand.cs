using System.CommandLine;

namespace SpectralNotify.Cli;

/// <summary><c>spectral workflows get|watch</c>: a workflow's phase tree with weighted progress.</summary>
public static class WorkflowsCommand
{
    /// <summary>The <c>workflows</c> verb and its subcommands.</summary>
    public static Command Create()
    {
        var workflows = new Command("workflows", "Show or watch a workflow as a tree of weighted phases.");
        var id = new Argument<string>("id") { Description = "The workflow's id." };
        var get = new Command("get", "Show a workflow and its phase tree.") { id };
        ClientVerb.SetAction(get, async (p, client, ct) => Output.Write(p, await client.Workflows.GetAsync(p.GetRequiredValue(id), ct), w =>
        {
            foreach (var line in WorkflowTree.Lines(w))
            {
                Console.WriteLine(line);
            }
        }));
        workflows.Subcommands.Add(get);
        workflows.Subcommands.Add(WatchCommand.ForWorkflows());
        return workflows;
    }
}
