using PdeOps.Physics.Problems;

namespace PdeOps.Physics.Manufactured;

/// <summary>
/// Builds elliptic problems -div(a grad u) + c u = f whose exact solution is a chosen smooth u
/// (the method of manufactured solutions). f and the Neumann fluxes a du/dn are obtained from
/// u and a by fourth-order central differences with step 1e-3, whose error (about 1e-11 for
/// smooth data) lies far below any discretisation error a test can resolve.
/// </summary>
public sealed class ManufacturedElliptic2D(
    Func<double, double, double> solution,
    Func<double, double, double> diffusion,
    Func<double, double, double> reaction)
{
    const double Step = 1e-3;

    /// <summary>The exact solution.</summary>
    public Func<double, double, double> Solution { get; } = solution;
    /// <summary>The diffusion coefficient a.</summary>
    public Func<double, double, double> Diffusion { get; } = diffusion;
    /// <summary>The reaction coefficient c.</summary>
    public Func<double, double, double> Reaction { get; } = reaction;

    /// <summary>f = -div(a grad u) + c u at (x, y).</summary>
    public double Forcing(double x, double y)
    {
        double Fx(double px, double py) => Diffusion(px, py) * Derivative(t => Solution(t, py), px);
        double Fy(double px, double py) => Diffusion(px, py) * Derivative(t => Solution(px, t), py);
        double div = Derivative(t => Fx(t, y), x) + Derivative(t => Fy(x, t), y);
        return -div + Reaction(x, y) * Solution(x, y);
    }

    /// <summary>Boundary data for conditions <paramref name="bc"/> on [0, lx] x [0, ly]: u on Dirichlet sides, the outward flux a du/dn on Neumann sides.</summary>
    public Func<BoundarySide, double, double, double> BoundaryData(BoundaryConditions2D bc, double lx = 1, double ly = 1) => (side, x, y) =>
    {
        if (bc[side] == BoundaryKind.Dirichlet) return Solution(x, y);
        double a = Diffusion(x, y);
        return side switch
        {
            BoundarySide.West => -a * Derivative(t => Solution(t, y), x),
            BoundarySide.East => a * Derivative(t => Solution(t, y), x),
            BoundarySide.South => -a * Derivative(t => Solution(x, t), y),
            _ => a * Derivative(t => Solution(x, t), y),
        };
    };

    /// <summary>The problem on an Mx x My interval grid of [0, lx] x [0, ly].</summary>
    public EllipticProblem2D Problem(int intervalsX, int intervalsY, BoundaryConditions2D bc, double lx = 1, double ly = 1) =>
        EllipticProblem2D.FromFunctions(intervalsX, intervalsY, Diffusion, Reaction, Forcing, bc, BoundaryData(bc, lx, ly), lx, ly);

    static double Derivative(Func<double, double> g, double t) =>
        (g(t - 2 * Step) - 8 * g(t - Step) + 8 * g(t + Step) - g(t + 2 * Step)) / (12 * Step);
}
