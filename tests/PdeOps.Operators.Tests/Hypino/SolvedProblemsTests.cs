using PdeOps.Operators.Hypino;
using PdeOps.Physics.Manufactured;
using PdeOps.Physics.Pde;
using static TorchSharp.torch;

namespace PdeOps.Operators.Tests.Hypino;

[Collection("torch random state")]
public class SolvedProblemsTests
{
    [Fact]
    public void SolvedProblemsSuperviseUAloneWithTheirClassicalSolution()
    {
        using var source = new ManufacturedProblemSource(seed: 4, physicsFraction: 0, solvedFraction: 1);
        using var batch = source.Batch(step: 0, size: 3, resolution: 32, interior: 64, boundary: 16);
        Assert.Equal([1f, 1f, 1f], batch.Supervised.data<float>().ToArray());
        Assert.Equal([0f, 0f, 0f], batch.DerivativesSupervised!.data<float>().ToArray());
        for (int b = 0; b < 3; b++)
        {
            var (problem, solution) = source.Sample(b);
            Assert.Null(problem.Exact);
            Assert.NotNull(solution);
            Assert.True(solution.Result.Converged);
            Assert.All(solution.U.Cast<double>().Where(v => !double.IsNaN(v)), v => Assert.InRange(Math.Abs(v), 0, 10));
            var rows = batch.Interior[b].to(float64).data<double>().ToArray();
            for (int k = 0; k < 64; k++)
            {
                var (x, y) = (rows[k * 8], rows[k * 8 + 1]);
                Assert.Equal(solution.ValueAt(x, y), rows[k * 8 + 3], 1e-5);
                for (int c = 4; c < 8; c++) Assert.Equal(0, rows[k * 8 + c]);
            }
        }
    }

    [Fact]
    public void ADrawnSourceShareGivesSolvedProblemsWithSourcesThatVary()
    {
        using var source = new ManufacturedProblemSource(seed: 4, physicsFraction: 0, solvedFraction: 1, drawnSourceFraction: 1);
        for (int i = 0; i < 2; i++)
        {
            var (problem, solution) = source.Sample(i);
            Assert.NotNull(solution);
            Assert.IsNotType<PdeOps.Physics.Symbolic.Constant>(problem.Source);
        }
    }

    [Fact]
    public void WithoutASolvedShareTheSourceDrawsTheProblemsItDrewBefore()
    {
        using var source = new ManufacturedProblemSource(seed: 7, physicsFraction: 0.25, zeroSidesFraction: 0.5);
        var problems = new ManufacturedProblems(7, new ManufacturedLimits());
        for (int i = 0; i < 12; i++)
        {
            var (problem, solution) = source.Sample(i);
            Assert.Null(solution);
            var before = problems.Mixed(i, 0.25, 0.5).Problem;
            Assert.Equal(before.Operator.ToString(), problem.Operator.ToString());
            Assert.Equal(before.Source.ToString(), problem.Source.ToString());
            Assert.Equal(before.Exact?.ToString(), problem.Exact?.ToString());
        }
    }

    [Fact]
    public void TheDerivativeTermLeavesOutProblemsWhoseDerivativesAreUnknown()
    {
        manual_seed(3);
        using var network = new HypinoNetwork(HypinoOptions.Small with { Resolution = 32, Depths = [1, 1], Embedding = 16, HeadWidth = 64 });
        using var solved = new ManufacturedProblemSource(seed: 5, physicsFraction: 0, solvedFraction: 1).Batch(0, 2, 32, 32, 16);
        using var manufactured = new ManufacturedProblemSource(seed: 5, physicsFraction: 0).Batch(0, 2, 32, 32, 16);
        var loss = new HypinoLoss();
        var onSolved = loss.Evaluate(network, solved);
        Assert.True(onSolved.Solution.item<float>() > 0);
        Assert.Equal(0, onSolved.Derivatives.item<float>());
        Assert.True(loss.Evaluate(network, manufactured).Derivatives.item<float>() > 0);
    }

    [Fact]
    public void ASolveTheSolverCannotTrustIsRejected()
    {
        // −Δ on [−1, 1]² has its first eigenvalue at π²/2 ≈ 4.935 with a mode the constant source
        // excites: u_xx + u_yy + 4.93 u is nearly singular, and its solution grows past the bound.
        var resonant = Problem2D.FromText("uxx + uyy + 4.93*u", "1", "square", ["0"], []);
        Assert.Null(SolvedProblems.TrySolve(resonant));
        var poisson = Problem2D.FromText("uxx + uyy", "-1", "square", ["0"], []);
        var solution = SolvedProblems.TrySolve(poisson);
        Assert.NotNull(solution);
        // −Δu = 1 on [−1, 1]² peaks at 0.2947 at the centre (the series solution).
        Assert.Equal(0.2947, solution.ValueAt(0, 0), 3e-4);
    }
}
