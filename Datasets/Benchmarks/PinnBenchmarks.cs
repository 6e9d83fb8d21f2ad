using PdeOps.Physics.Pde;

namespace PdeOps.Datasets.Benchmarks;

/// <summary>
/// The seven benchmark problems of HyPINO's evaluation (heat, Helmholtz, Helmholtz on a domain with
/// holes, Poisson with circular holes, Poisson on an L-shaped domain, Poisson with Gaussian
/// sources, wave), stated here in PdeOps' own terms on [−1, 1]² with y as time where the operator
/// is not elliptic. Where the published problems are not available as text, these follow the
/// classic PINN benchmarks they are modelled on (PINNacle's Heat, Helmholtz, Poisson2D-C and
/// Wave1D-C; the L-shaped Poisson problem of DeepXDE).
/// </summary>
public static class PinnBenchmarks
{
    /// <summary>All seven, in a fixed order.</summary>
    public static IReadOnlyList<PinnBenchmark> All { get; } =
    [
        new("heat", "u_t = 0.1 u_xx (y is t), u(x, -1) = sin(pi x), u = 0 at x = +-1: exact exp(-0.1 pi^2 (y + 1)) sin(pi x)",
            Problem2D.FromText("uy - 0.1*uxx", "0", "square", ["bottom: sin(pi*x)", "left, right: 0"], [], "exp(-0.1*pi^2*(y + 1))*sin(pi*x)")),
        new("helmholtz", "u_xx + u_yy + u = f with the exact solution sin(pi x) sin(4 pi y), u = 0 on the boundary",
            Problem2D.FromText("uxx + uyy + u", "(1 - 17*pi^2)*sin(pi*x)*sin(4*pi*y)", "square", ["0"], [], "sin(pi*x)*sin(4*pi*y)")),
        new("helmholtz-holes", "u_xx + u_yy + u = -10 on the square minus three disks, u = 0 on every boundary",
            Problem2D.FromText("uxx + uyy + u", "-10", "square - disk(0.4, 0.4, 0.25) - disk(-0.45, 0.3, 0.2) - disk(0, -0.45, 0.3)", ["0"], [])),
        new("poisson-holes", "-u_xx - u_yy = 0 on the square minus four disks, u = 1 on the square's sides, u = 0 on the disks",
            Problem2D.FromText("-uxx - uyy", "0", "square - disk(0.5, 0.5, 0.2) - disk(-0.5, 0.5, 0.2) - disk(-0.5, -0.5, 0.2) - disk(0.5, -0.5, 0.2)",
                ["bottom, right, top, left: 1", "hole1, hole2, hole3, hole4: 0"], [])),
        new("poisson-l", "-u_xx - u_yy = 1 on the L-shaped domain (the square minus its upper-right quarter), u = 0 on the boundary",
            Problem2D.FromText("-uxx - uyy", "1", "square - rect(0, 0, 1, 1)", ["0"], [])),
        new("poisson-gauss", "-u_xx - u_yy = f, f a sum of four Gaussians of width 0.1, u = 0 on the boundary",
            Problem2D.FromText("-uxx - uyy",
                "50*exp(-((x - 0.5)^2 + (y - 0.5)^2)/0.02) + 50*exp(-((x + 0.5)^2 + (y - 0.3)^2)/0.02) - 50*exp(-((x + 0.3)^2 + (y + 0.5)^2)/0.02) + 50*exp(-((x - 0.4)^2 + (y + 0.4)^2)/0.02)",
                "square", ["0"], [])),
        new("wave", "u_tt = 4 u_xx (y is t), u(x, -1) = sin(pi x) + 0.5 sin(4 pi x), u_t(x, -1) = 0, u = 0 at x = +-1: exact by d'Alembert's standing waves",
            Problem2D.FromText("uyy - 4*uxx", "0", "square", ["bottom: sin(pi*x) + 0.5*sin(4*pi*x)", "left, right: 0"], ["bottom: 0"],
                "sin(pi*x)*cos(2*pi*(y + 1)) + 0.5*sin(4*pi*x)*cos(8*pi*(y + 1))")),
    ];

    /// <summary>The benchmark called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No benchmark has that name; the message lists them.</exception>
    public static PinnBenchmark Get(string name) =>
        All.FirstOrDefault(b => b.Name == name)
        ?? throw new ArgumentException($"unknown benchmark '{name}' (known: {string.Join(", ", All.Select(b => b.Name))})");
}
