using PdeOps.Physics.Problems;

namespace PdeOps.Physics.Manufactured;

/// <summary>
/// Builds elliptic problems -div(a grad u) + c u = f on a box whose exact solution is a chosen
/// smooth u (the method of manufactured solutions; the 3D counterpart of
/// <see cref="ManufacturedElliptic2D"/>). f and the Neumann fluxes a du/dn come from u and a by
/// fourth-order central differences with step 1e-3, whose error (about 1e-11 for smooth data) lies
/// far below any discretisation error a test can resolve.
/// </summary>
public sealed class ManufacturedElliptic3D(
    Func<double, double, double, double> solution,
    Func<double, double, double, double> diffusion,
    Func<double, double, double, double> reaction)
{
    const double Step = 1e-3;

    /// <summary>The exact solution u(x, y, z).</summary>
    public Func<double, double, double, double> Solution { get; } = solution;
    /// <summary>The diffusion coefficient a(x, y, z).</summary>
    public Func<double, double, double, double> Diffusion { get; } = diffusion;
    /// <summary>The reaction coefficient c(x, y, z).</summary>
    public Func<double, double, double, double> Reaction { get; } = reaction;

    /// <summary>f = -div(a grad u) + c u at (x, y, z).</summary>
    public double Forcing(double x, double y, double z)
    {
        double Fx(double px) => Diffusion(px, y, z) * Derivative(t => Solution(t, y, z), px);
        double Fy(double py) => Diffusion(x, py, z) * Derivative(t => Solution(x, t, z), py);
        double Fz(double pz) => Diffusion(x, y, pz) * Derivative(t => Solution(x, y, t), pz);
        double div = Derivative(Fx, x) + Derivative(Fy, y) + Derivative(Fz, z);
        return -div + Reaction(x, y, z) * Solution(x, y, z);
    }

    /// <summary>Boundary data for conditions <paramref name="bc"/>: u on Dirichlet sides, the outward flux a du/dn on Neumann sides.</summary>
    public Func<BoundarySide3D, double, double, double, double> BoundaryData(BoundaryConditions3D bc) => (side, x, y, z) =>
    {
        if (bc[side] == BoundaryKind.Dirichlet) return Solution(x, y, z);
        double a = Diffusion(x, y, z);
        return side switch
        {
            BoundarySide3D.West => -a * Derivative(t => Solution(t, y, z), x),
            BoundarySide3D.East => a * Derivative(t => Solution(t, y, z), x),
            BoundarySide3D.South => -a * Derivative(t => Solution(x, t, z), y),
            BoundarySide3D.North => a * Derivative(t => Solution(x, t, z), y),
            BoundarySide3D.Bottom => -a * Derivative(t => Solution(x, y, t), z),
            _ => a * Derivative(t => Solution(x, y, t), z),
        };
    };

    /// <summary>The problem on an Mx x My x Mz interval grid of [0, lx] x [0, ly] x [0, lz].</summary>
    public EllipticProblem3D Problem(int intervalsX, int intervalsY, int intervalsZ, BoundaryConditions3D bc,
        double lx = 1, double ly = 1, double lz = 1) =>
        EllipticProblem3D.FromFunctions(intervalsX, intervalsY, intervalsZ, Diffusion, Reaction, Forcing, bc, BoundaryData(bc), lx, ly, lz);

    static double Derivative(Func<double, double> g, double t) =>
        (g(t - 2 * Step) - 8 * g(t - Step) + 8 * g(t + Step) - g(t + 2 * Step)) / (12 * Step);
}
