using PdeOps.Operators.Hypino;
using PdeOps.Operators.Pinn;
using PdeOps.Physics.Pde;
using static TorchSharp.torch;

namespace PdeOps.Operators.Tests.Hypino;

public class OutputLayerFitTests
{
    // An ensemble of two randomly initialised PINNs, so that its features are arbitrary.
    static PinnEnsemble RandomEnsemble(PinnOptions options)
    {
        var ensemble = new PinnEnsemble(options);
        foreach (int seed in new[] { 1, 2 })
        {
            using var scope = NewDisposeScope();
            using var network = new PinnNetwork(options with { Seed = seed });
            ensemble.Add(network.Flat());
        }
        return ensemble;
    }

    [Fact]
    public void TheFitIsTheLeastSquaresMinimumOverEveryOutputLayerAndLeavesTheHiddenLayers()
    {
        // Dirichlet on the square's sides, Neumann on the hole, and a u term: every kind of row and the bias's L column.
        var problem = Problem2D.FromText("uxx + 0.5*uyy - u", "1 + x*y", "square - disk(0.2, 0.1, 0.4)", ["x + 2*y"], ["hole1: nx"]);
        var options = new PinnOptions();
        using var ensemble = RandomEnsemble(options);
        using var points = new PinnCollocation(problem, 1500, 700, seed: 3);
        var loss = new PinnLoss(PinnPenalty.Mse);
        using var hiddenBefore = ensemble.MemberFeatures(1, tensor(new float[] { -0.7f, 0.2f }).reshape(1, 1, 2).expand(options.Width, 1, 2)).detach();

        (double Loss, double Gradient) LossAndOutputGradient()
        {
            using var scope = NewDisposeScope();
            var parameters = ensemble.Trainable();
            var terms = loss.Evaluate(ensemble.Forward, problem.Operator, points);
            int perMember = options.ParameterShapes().Count; // the last two of each member are output.weight and output.bias
            var outputs = parameters.Where((_, k) => k % perMember >= perMember - 2).ToArray();
            var gradients = autograd.grad([terms.Total], outputs);
            double norm = Math.Sqrt(gradients.Sum(g => g.square().sum().item<float>()));
            return (terms.Total.item<float>(), norm);
        }

        var (lossBefore, gradientBefore) = LossAndOutputGradient();
        Assert.True(ensemble.FitOutputLayers(problem.Operator, points, loss));
        var (lossAfter, gradientAfter) = LossAndOutputGradient();
        // A least-squares minimum: the loss falls and its gradient in the fitted weights vanishes
        // (up to single-precision rounding of the weights and of the features).
        Assert.True(lossAfter < 0.5 * lossBefore, $"loss {lossBefore:E3} -> {lossAfter:E3}");
        Assert.True(gradientAfter < 1e-3 * gradientBefore, $"gradient in the output layers {gradientBefore:E3} -> {gradientAfter:E3}");
        using var hiddenAfter = ensemble.MemberFeatures(1, tensor(new float[] { -0.7f, 0.2f }).reshape(1, 1, 2).expand(options.Width, 1, 2)).detach();
        Assert.Equal(0, (hiddenAfter - hiddenBefore).abs().max().item<float>());
        // A second fit has nothing lower to move to: the loss stays where it is.
        ensemble.FitOutputLayers(problem.Operator, points, loss);
        Assert.True(LossAndOutputGradient().Loss <= lossAfter * (1 + 1e-4));
        ensemble.Dispose();
        Assert.Throws<ObjectDisposedException>(() => ensemble.FitOutputLayers(problem.Operator, points, loss));
    }

    [Fact]
    public void InUnitsOfUTheFitDoesNotDependOnHowTheEquationIsScaled()
    {
        // The same problem twice, the second with the equation multiplied by 100: one solution.
        string[] dirichlet = ["x + 2*y"], neumann = ["hole1: nx"];
        var plain = Problem2D.FromText("uxx + 0.5*uyy - u", "1 + x*y", "square - disk(0.2, 0.1, 0.4)", dirichlet, neumann);
        var scaled = Problem2D.FromText("100*uxx + 50*uyy - 100*u", "100*(1 + x*y)", "square - disk(0.2, 0.1, 0.4)", dirichlet, neumann);
        var options = new PinnOptions();
        var probe = (X: new[] { -0.6, 0.3, 0.8, -0.9 }, Y: new[] { 0.5, -0.7, 0.9, -0.2 });

        (double[] U, PinnLoss Loss) Fitted(Problem2D problem, RefinementWeighting weighting)
        {
            using var ensemble = RandomEnsemble(options);
            using var points = new PinnCollocation(problem, 1500, 700, seed: 3);
            var loss = PdeOps.Operators.Hypino.Hypino.RefinementLoss(problem, ensemble, points, weighting);
            Assert.True(ensemble.FitOutputLayers(problem.Operator, points, loss));
            return (ensemble.Predict(probe.X, probe.Y), loss);
        }

        static double Gap(double[] a, double[] b) => a.Zip(b, (p, q) => Math.Abs(p - q)).Max() / b.Max(Math.Abs);

        var (unitsPlain, lossPlain) = Fitted(plain, RefinementWeighting.SolutionUnits);
        var (unitsScaled, lossScaled) = Fitted(scaled, RefinementWeighting.SolutionUnits);
        // The interior residual grows 100x, so both boundary weights grow 100² x, and the fit is the same.
        Assert.Equal(1e4, lossScaled.DirichletWeight / lossPlain.DirichletWeight, 1e-4 * 1e4);
        Assert.Equal(1e4, lossScaled.NeumannWeight / lossPlain.NeumannWeight, 1e-4 * 1e4);
        Assert.True(Gap(unitsScaled, unitsPlain) < 1e-3, $"in units of u: {string.Join(", ", unitsPlain)} against {string.Join(", ", unitsScaled)}");
        // With fixed weights the scaled equation's residual outweighs its boundary terms, and the fit moves.
        var (pinnPlain, _) = Fitted(plain, RefinementWeighting.PinnLoss);
        var (pinnScaled, _) = Fitted(scaled, RefinementWeighting.PinnLoss);
        Assert.True(Gap(pinnScaled, pinnPlain) > 1e-2, $"fixed weights: {string.Join(", ", pinnPlain)} against {string.Join(", ", pinnScaled)}");
    }
}
