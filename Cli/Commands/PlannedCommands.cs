using System.CommandLine;
using PdeOps.Cli.Infrastructure;

namespace PdeOps.Cli.Commands;

/// <summary>
/// Command groups whose work is not part of this version yet. They appear in <c>--help</c> so the
/// shape of the tool is visible, and say plainly that they are unavailable when run.
/// </summary>
public static class PlannedCommands
{
    /// <summary>The groups, each with what it will do.</summary>
    public static IEnumerable<Command> Create()
    {
        yield return Planned("eval", "Evaluate a trained operator across resolutions");
        yield return Planned("predict", "Apply a trained operator to inputs in an HDF5 file");
    }

    static Command Planned(string name, string description)
    {
        var command = new Command(name, description + " [not available in this version]")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction(new Func<ParseResult, int>(_ => throw new NotSupportedException($"'pdeops {name}' is not available in PdeOps {Versions.PdeOps} yet")));
        return command;
    }
}
