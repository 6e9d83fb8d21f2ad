using PdeOps.Operators.Pinn;
using PdeOps.Physics.Manufactured;
using PdeOps.Physics.Pde;
using PdeOps.Physics.Symbolic;
using static TorchSharp.torch;

namespace PdeOps.Operators.Tests.Pinn;

public class PinnTests
{
    [Fact]
    public void SymbolicDerivativesAgreeWithAutograd()
    {
        using var scope = NewDisposeScope();
        var problems = new ManufacturedProblems(5, new ManufacturedLimits());
        var texts = new[] { "sin(pi*x)*exp(-y) + 0.5*tanh(3*x - y)", "sigmoid(2*x*y - 1)/(1 + (x - y)^2)", "sqrt(2 + x^2)*log(3 + y)" }
            .Concat(Enumerable.Range(0, 4).Select(i => problems.Supervised(i).Problem.Exact!.ToString()));
        var x = linspace(-0.9, 0.9, 7, dtype: float64).repeat(7);
        var y = linspace(-0.8, 0.8, 7, dtype: float64).repeat_interleave(7);
        foreach (var text in texts)
        {
            var u = Expr.Parse(text, ["x", "y"]);
            var d = PinnDerivatives.Of(p => ExprTensor.Evaluate(u, p[TensorIndex.Colon, 0], p[TensorIndex.Colon, 1]), stack([x, y], 1));
            var pairs = new (Tensor Autograd, Expr Symbolic)[]
            {
                (d.Ux, u.Derivative("x")), (d.Uy, u.Derivative("y")), (d.Uxx, u.Derivative("x").Derivative("x")),
                (d.Uyy, u.Derivative("y").Derivative("y")), (d.Uxy, u.Derivative("x").Derivative("y")),
            };
            foreach (var (autogradValues, symbolic) in pairs)
            {
                var expected = ExprTensor.Evaluate(symbolic, x, y);
                var error = (autogradValues.detach() - expected).abs().max().item<double>();
                var scale = Math.Max(1, expected.abs().max().item<double>());
                Assert.True(error <= 1e-10 * scale, $"{text}: autograd and symbolic derivatives differ by {error} (scale {scale})");
            }
        }
    }

    [Fact]
    public void BatchedEvaluationGivesEachNetworkItsOwnWeights()
    {
        using var scope = NewDisposeScope();
        var options = new PinnOptions { Width = 8, HiddenLayers = 2, FourierFeatures = 3 };
        var a = new PinnNetwork(options with { Seed = 1 });
        var b = new PinnNetwork(options with { Seed = 2 });
        var stacked = a.Weights.ToDictionary(kv => kv.Key, kv => cat([kv.Value, b.Weights[kv.Key]], 0));
        var points = rand(2, 10, 2) * 2 - 1;
        var both = BatchedPinn.Evaluate(options, stacked, BatchedPinn.Frequencies(options), points);
        Assert.True((both[0] - a.forward(points[0])).abs().max().item<float>() < 1e-6);
        Assert.True((both[1] - b.forward(points[1])).abs().max().item<float>() < 1e-6);
        Assert.Equal(options.ParameterShapes().Sum(s => s.Shape.Aggregate(1L, (p, q) => p * q)), a.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void PredictionsAcrossBlocksEqualThoseOfEachBlockAlone()
    {
        // More points than one block: the second block starts at point BlockSize.
        using var network = new PinnNetwork(new PinnOptions { Width = 8, HiddenLayers = 2, FourierFeatures = 3, Seed = 4 });
        int n = PinnPointBlocks.BlockSize + 1234;
        var random = new Random(5);
        double[] x = new double[n], y = new double[n];
        for (int i = 0; i < n; i++) (x[i], y[i]) = (2 * random.NextDouble() - 1, 2 * random.NextDouble() - 1);
        var all = network.Predict(x, y);
        var head = network.Predict(x.AsSpan(0, PinnPointBlocks.BlockSize), y.AsSpan(0, PinnPointBlocks.BlockSize));
        var tail = network.Predict(x.AsSpan(PinnPointBlocks.BlockSize), y.AsSpan(PinnPointBlocks.BlockSize));
        Assert.Equal(head.Concat(tail), all);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var direct = network.forward(tensor(new[] { (float)x[^1], (float)y[^1] }).reshape(1, 2)).to(float64).item<double>();
        Assert.Equal(direct, all[^1], 1e-6); // one point alone takes another matrix-product path: float32 rounding
    }

    [Fact]
    public void APinnSolvesPoissonWithTheSineSolutionToOnePercent()
    {
        // -lap u = 2 pi^2 sin(pi x) sin(pi y) on [-1, 1]^2, u = 0 on the boundary.
        var problem = Problem2D.FromText("uxx + uyy", "-2*pi^2*sin(pi*x)*sin(pi*y)", "square", ["0"], [], "sin(pi*x)*sin(pi*y)");
        var options = new PinnSolveOptions
        {
            Network = new PinnOptions { Seed = 3, FourierScale = 0.5 },
            AdamSteps = 600,
            LbfgsSteps = 150,
            CollocationPoints = 1024,
            BoundaryPoints = 256,
            LearningRate = 1e-2,
        };
        var solution = PinnSolver.Solve(problem, options);
        var n = 41;
        var (x, y) = (new double[n * n], new double[n * n]);
        for (var j = 0; j < n; j++) for (var i = 0; i < n; i++) (x[j * n + i], y[j * n + i]) = (-1 + 2.0 * i / (n - 1), -1 + 2.0 * j / (n - 1));
        var predicted = solution.Network.Predict(x, y);
        var exact = problem.Exact!.Compile2D();
        double error = 0, norm = 0;
        for (var k = 0; k < x.Length; k++)
        {
            var u = exact.Evaluate(x[k], y[k]);
            error += (predicted[k] - u) * (predicted[k] - u);
            norm += u * u;
        }
        var relative = Math.Sqrt(error / norm);
        Assert.True(relative <= 1e-2, $"relative L2 {relative:E2} after {solution.Seconds:F1} s; last loss {solution.History[^1].Loss:E2}");
        Assert.True(solution.History[^1].Loss < solution.History[0].Loss / 100);
    }
}
