using PdeOps.Solvers.Multigrid;

namespace PdeOps.Solvers.Tests;

public class BandedCholeskyTests
{
    [Fact]
    public void SolvesTheFivePointSystemToRoundOff()
    {
        var level = new GridLevel(9, 6, 0.1, 1.0 / 7);
        var rng = new Random(3);
        for (int j = 0; j < level.Ny; j++)
            for (int i = 0; i < level.Nx; i++) level.F[level.Index(i, j)] = rng.NextDouble();
        new BandedCholesky(level).Solve(level);
        double residual = Math.Sqrt(FivePointKernels.Residual(level, 1));
        double scale = Math.Sqrt(level.F.Sum(v => v * v));
        Assert.True(residual < 1e-12 * scale * level.Diagonal, $"residual {residual}");
    }
}
