using System.CommandLine;

namespace PdeOps.Cli.Commands.Solve;

/// <summary><c>pdeops solve</c>: classical solves with a report of how the solver converged.</summary>
public static class SolveCommand
{
    /// <summary>Creates the command group.</summary>
    public static Command Create()
    {
        var solve = new Command("solve", "Solve a PDE classically (ground truth)");
        solve.Subcommands.Add(EllipticSolveCommands.Poisson());
        solve.Subcommands.Add(EllipticSolveCommands.Darcy());
        solve.Subcommands.Add(EllipticSolveCommands.Helmholtz());
        solve.Subcommands.Add(HeatSolveCommand.Create());
        solve.Subcommands.Add(SpectralSolveCommands.Burgers());
        solve.Subcommands.Add(SpectralSolveCommands.NavierStokes());
        return solve;
    }

    /// <summary>
    /// The usage line for <c>pdeops solve NAME</c> with a NAME that is not a problem (the parser's own
    /// "unrecognized command or argument" does not say what is known), or null for other errors.
    /// </summary>
    public static string? UnknownProblem(ParseResult parse)
    {
        if (parse.CommandResult.Command.Name != "solve" || parse.UnmatchedTokens.Count == 0) return null;
        string token = parse.UnmatchedTokens[0];
        if (token.StartsWith('-')) return null;
        var known = parse.CommandResult.Command.Subcommands.Select(c => c.Name);
        return $"unknown problem '{token}' for solve; known problems: {string.Join(", ", known)}";
    }
}
