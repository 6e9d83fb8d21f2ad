using PdeOps.Solvers.Elliptic;
using PdeOps.Solvers.Multigrid;

namespace PdeOps.Solvers.Elliptic3D;

/// <summary>Creates smoothers for <see cref="StencilOperator3D"/> levels.</summary>
internal static class StencilSmoothers3D
{
    /// <summary>A smoother of the given kind for operator <paramref name="a"/>.</summary>
    /// <exception cref="ArgumentException">The kind has no 3D implementation (Chebyshev).</exception>
    public static IStencilSmoother Create(SmootherKind kind, StencilOperator3D a, int threads) => kind switch
    {
        SmootherKind.GaussSeidel => new EightColourGaussSeidel(a, threads),
        SmootherKind.WeightedJacobi => new WeightedJacobi(a, a.Diagonal, WeightedJacobi.Weight3D, threads),
        _ => throw new ArgumentException($"smoother {kind} is not available for 3D grids; use GaussSeidel or WeightedJacobi"),
    };
}
