using PdeOps.Physics.Problems;
using PdeOps.Solvers.Elliptic3D;

namespace PdeOps.Solvers.Tests.Elliptic3D;

/// <summary>The line kernels of the operator and the smoother against the dense matrix built point by point.</summary>
public class StencilKernels3DTests
{
    // A 27-point Galerkin operator on a grid whose periodic axes wrap at every level.
    static StencilOperator3D CoarseOperator(string boundaries)
    {
        var problem = EllipticProblem3D.FromFunctions(8, 4, 8, (x, y, z) => 1 + x + 2 * y * z, (_, _, _) => 1, (_, _, _) => 1, BoundaryConditions3D.Parse(boundaries));
        var fine = Discretization3D.Assemble(problem).Operator;
        var coarse = new StencilOperator3D(fine.X.Coarsen(), fine.Y.Coarsen(), fine.Z.Coarsen());
        GalerkinCoarsening3D.Compute(fine, coarse, 1);
        return coarse;
    }

    static double[] Random(int n, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => rng.NextDouble() - 0.5).ToArray();
    }

    [Theory]
    [InlineData("dirichlet")]
    [InlineData("periodic")]
    [InlineData("p,p,n,n,d,n")]
    public void ApplyMatchesTheDenseMatrix(string boundaries)
    {
        var a = CoarseOperator(boundaries);
        var m = a.ToDense();
        var x = Random(a.Size, 1);
        var y = new double[a.Size];
        a.Apply(x, y);
        for (int p = 0; p < a.Size; p++)
        {
            double expected = 0;
            for (int q = 0; q < a.Size; q++) expected += m[p, q] * x[q];
            Assert.Equal(expected, y[p], 1e-12);
        }
    }

    [Theory]
    [InlineData("dirichlet")]
    [InlineData("periodic")]
    [InlineData("p,p,n,n,d,n")]
    public void GaussSeidelSweepMatchesPointwiseRelaxationInColourOrder(string boundaries)
    {
        var a = CoarseOperator(boundaries);
        var m = a.ToDense();
        var b = Random(a.Size, 2);
        var x = Random(a.Size, 3);
        var expected = (double[])x.Clone();
        for (int colour = 0; colour < 8; colour++)
            for (int k = 0; k < a.Nz; k++)
                for (int j = 0; j < a.Ny; j++)
                    for (int i = 0; i < a.Nx; i++)
                    {
                        if ((i & 1) != (colour & 1) || (j & 1) != ((colour >> 1) & 1) || (k & 1) != (colour >> 2)) continue;
                        int p = i + a.Nx * (j + a.Ny * k);
                        double s = b[p];
                        for (int q = 0; q < a.Size; q++) if (q != p) s -= m[p, q] * expected[q];
                        expected[p] = s / m[p, p];
                    }
        new EightColourGaussSeidel(a, 2).Smooth(x, b, 1, reverse: false);
        for (int p = 0; p < a.Size; p++) Assert.Equal(expected[p], x[p], 1e-12);
    }
}
