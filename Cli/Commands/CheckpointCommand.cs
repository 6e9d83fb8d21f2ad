using System.CommandLine;
using PdeOps.Cli.Infrastructure;
using PdeOps.Operators.Checkpoints;

namespace PdeOps.Cli.Commands;

/// <summary><c>pdeops checkpoint upgrade RUN...</c>: rewrite trained operators in the current file format.</summary>
public static class CheckpointCommand
{
    /// <summary>Creates the group.</summary>
    public static Command Create()
    {
        var group = new Command("checkpoint", "Maintain trained-operator folders (docs/checkpoints.md)");
        group.Subcommands.Add(Upgrade());
        return group;
    }

    static Command Upgrade()
    {
        var folders = new Argument<string[]>("run") { Description = "Run folders written by 'pdeops train'", Arity = ArgumentArity.OneOrMore };
        var command = new Command("upgrade", "Rewrite model.json and weights.bin in the current format (snake_case options, weight checksum), keeping the weights") { folders };
        command.SetAction(parse =>
        {
            foreach (var folder in parse.GetValue(folders)!)
            {
                int before = OperatorCheckpoint.Upgrade(folder);
                Console.WriteLine($"{folder}: format {before} -> {Operators.Serialization.OperatorJson.Version}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
