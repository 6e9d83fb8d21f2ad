namespace PdeOps.Physics.Manufactured;

/// <summary>
/// An exact solution u of a 2D problem together with the forcing f that produces it, used to
/// verify solvers (the method of manufactured solutions).
/// </summary>
/// <param name="Name">Short name used in reports.</param>
/// <param name="Solution">The exact solution u(x, y).</param>
/// <param name="Forcing">The right-hand side f(x, y) that the operator maps u to.</param>
public sealed record ManufacturedSolution2D(
    string Name,
    Func<double, double, double> Solution,
    Func<double, double, double> Forcing)
{
    /// <summary>
    /// -lap u = 2 pi^2 sin(pi x) sin(pi y) on the unit square with u = 0 on the boundary; the exact
    /// solution is u = sin(pi x) sin(pi y). This is the case hypre's struct Poisson example solves.
    /// </summary>
    public static ManufacturedSolution2D PoissonSineProduct { get; } = new(
        "poisson-sine",
        (x, y) => Math.Sin(Math.PI * x) * Math.Sin(Math.PI * y),
        (x, y) => 2 * Math.PI * Math.PI * Math.Sin(Math.PI * x) * Math.Sin(Math.PI * y));
}
