namespace PdeOps.Physics.Pde;

/// <summary>
/// A problem's boundary data at a set of boundary points (<see cref="Problem2D.DataAt"/>): per point
/// the Dirichlet value g_D and a mask (1 where the point carries a Dirichlet condition), and the
/// Neumann value g_N = ∂u/∂n with its mask. A value is 0 where the point carries no such condition.
/// </summary>
/// <param name="DirichletValue">g_D per point.</param>
/// <param name="DirichletMask">1 or 0 per point.</param>
/// <param name="NeumannValue">g_N per point.</param>
/// <param name="NeumannMask">1 or 0 per point.</param>
public sealed record BoundaryData(double[] DirichletValue, double[] DirichletMask, double[] NeumannValue, double[] NeumannMask);
