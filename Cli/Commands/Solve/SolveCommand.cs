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
}
