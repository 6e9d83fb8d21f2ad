using PdeOps.Physics.Problems;
using PdeOps.Solvers.Elliptic;

namespace PdeOps.Solvers.Elliptic3D;

/// <summary>
/// Vertex-centred finite volumes for -div(a grad u) + c u = f on a box (the seven-point scheme;
/// Varga, Matrix Iterative Analysis, ch. 6, in three dimensions), following
/// <see cref="Discretization2D"/>: each unknown owns the dual cell around its vertex, halved across
/// every Neumann side it lies on; face coefficients are harmonic means of the two vertex values of
/// a, which keeps flux continuity for jumping coefficients. Rows are divided by hx hy hz, so interior
/// rows equal the usual finite-difference stencil and the matrix is symmetric. Dirichlet values move
/// to the right-hand side; Neumann fluxes enter through the boundary faces.
/// </summary>
public static class Discretization3D
{
    /// <summary>Assembles the operator and right-hand side.</summary>
    public static DiscreteEllipticSystem3D Assemble(EllipticProblem3D problem)
    {
        var bc = problem.Boundaries;
        var axes = new[]
        {
            new AxisLayout(problem.IntervalsX, bc.West, bc.East),
            new AxisLayout(problem.IntervalsY, bc.South, bc.North),
            new AxisLayout(problem.IntervalsZ, bc.Bottom, bc.Top),
        };
        var op = new StencilOperator3D(axes[0], axes[1], axes[2]);
        var rhs = new double[op.Size];
        var h = new[] { problem.Hx, problem.Hy, problem.Hz };
        var m = new[] { problem.IntervalsX, problem.IntervalsY, problem.IntervalsZ };
        // Outward Neumann sides per axis and end: (side, kind).
        var lowSides = new[] { BoundarySide3D.West, BoundarySide3D.South, BoundarySide3D.Bottom };
        var highSides = new[] { BoundarySide3D.East, BoundarySide3D.North, BoundarySide3D.Top };
        var g = problem.BoundaryData;
        var a = problem.A;
        Span<int> v = stackalloc int[3];
        Span<double> w = stackalloc double[3];
        Span<int> nb = stackalloc int[3];
        for (int k = 0; k < op.Nz; k++)
            for (int j = 0; j < op.Ny; j++)
                for (int i = 0; i < op.Nx; i++)
                {
                    v[0] = axes[0].FirstVertex + i; v[1] = axes[1].FirstVertex + j; v[2] = axes[2].FirstVertex + k;
                    for (int d = 0; d < 3; d++) w[d] = !axes[d].Periodic && (v[d] == 0 || v[d] == m[d]) ? 0.5 : 1.0;
                    int p = i + op.Nx * (j + op.Ny * k);
                    double volume = w[0] * w[1] * w[2];
                    double diag = problem.C[v[2], v[1], v[0]] * volume;
                    double b = problem.F[v[2], v[1], v[0]] * volume;
                    double self = a[v[2], v[1], v[0]];
                    for (int d = 0; d < 3; d++)
                    {
                        // The dual cell's face normal to axis d has area (product of the other widths) h_other.
                        double scale = volume / w[d] / (h[d] * h[d]);
                        foreach (int step in (ReadOnlySpan<int>)[-1, 1])
                        {
                            int nv = v[d] + step;
                            if (!axes[d].Periodic && (nv < 0 || nv > m[d])) continue; // no face beyond the domain
                            for (int e = 0; e < 3; e++) nb[e] = e == d ? Wrap(nv, m[e], axes[e].Periodic) : v[e];
                            double face = scale * Harmonic(self, a[nb[2], nb[1], nb[0]]);
                            diag += face;
                            if (axes[d].UnknownOf(nv) >= 0)
                                op.Coefficients[StencilOperator3D.IndexOf(d == 0 ? step : 0, d == 1 ? step : 0, d == 2 ? step : 0)][p] -= face;
                            else // the neighbour is a Dirichlet vertex: its known value moves to the right-hand side
                                b += face * g(problem.DirichletSideOf(nb[0], nb[1], nb[2])!.Value, nb[0] * h[0], nb[1] * h[1], nb[2] * h[2]);
                        }
                        // Neumann boundary faces: outward flux a du/dn = g through the boundary part of the dual cell.
                        double x = v[0] * h[0], y = v[1] * h[1], z = v[2] * h[2];
                        double fluxScale = volume / w[d] / h[d];
                        if (v[d] == 0 && bc[lowSides[d]] == BoundaryKind.Neumann) b += g(lowSides[d], x, y, z) * fluxScale;
                        if (v[d] == m[d] && bc[highSides[d]] == BoundaryKind.Neumann) b += g(highSides[d], x, y, z) * fluxScale;
                    }
                    op.Coefficients[StencilOperator3D.Centre][p] += diag;
                    rhs[p] = b;
                }
        op.UpdateActiveEntries();
        return new DiscreteEllipticSystem3D(op, rhs, problem);
    }

    /// <summary>
    /// Expands the unknowns to the full (Mz + 1) x (My + 1) x (Mx + 1) vertex array [z, y, x],
    /// filling Dirichlet vertices with their data and periodic copies with their images.
    /// </summary>
    public static double[,,] ToVertexField(DiscreteEllipticSystem3D system, double[] u)
    {
        var pr = system.Problem;
        var op = system.Operator;
        var field = new double[pr.IntervalsZ + 1, pr.IntervalsY + 1, pr.IntervalsX + 1];
        for (int vz = 0; vz <= pr.IntervalsZ; vz++)
            for (int vy = 0; vy <= pr.IntervalsY; vy++)
                for (int vx = 0; vx <= pr.IntervalsX; vx++)
                {
                    int i = op.X.UnknownOf(vx), j = op.Y.UnknownOf(vy), k = op.Z.UnknownOf(vz);
                    // Vertices without an unknown are Dirichlet vertices (periodic images map to unknowns).
                    field[vz, vy, vx] = i >= 0 && j >= 0 && k >= 0 ? u[i + op.Nx * (j + op.Ny * k)]
                        : pr.BoundaryData(pr.DirichletSideOf(vx, vy, vz)!.Value, vx * pr.Hx, vy * pr.Hy, vz * pr.Hz);
                }
        return field;
    }

    static int Wrap(int v, int m, bool periodic) => periodic ? ((v % m) + m) % m : v;

    static double Harmonic(double p, double q) => 2 * p * q / (p + q);
}
