using PdeOps.Cli.Infrastructure;

namespace PdeOps.Cli.Commands.Solve;

/// <summary>
/// The size checks every <c>pdeops solve</c> makes before it allocates: the grid must be indexable
/// (the solvers number unknowns with 32-bit integers) and the solver's estimate plus the command's
/// own fields (inputs, the solution's vertex field, the copies made for HDF5 and the figure) must
/// fit in the memory this process may use. Both refusals are usage errors naming the request.
/// </summary>
public static class SolveBudget
{
    /// <summary>Refuses the request <paramref name="what"/> when it cannot be indexed or does not fit.</summary>
    /// <param name="solverBytes">The solver's own estimate (its static <c>EstimateBytes</c>).</param>
    /// <param name="points">Grid points of one field.</param>
    /// <param name="commandFields">Fields of that size the command keeps beside the solver's arrays.</param>
    /// <param name="what">The request in the user's words, e.g. "--n 46000".</param>
    public static void Require(double solverBytes, double points, int commandFields, string what)
    {
        if (points > Array.MaxLength)
            throw new UsageException($"{what} gives {points:G3} grid points; the solvers index at most {Array.MaxLength} per field; choose a smaller size");
        MemoryBudget.Require(solverBytes + commandFields * points * sizeof(double), what);
    }
}
