using System.Globalization;
using PdeOps.Operators.Hypino;
using PdeOps.Operators.Pinn;
using PdeOps.Physics.Manufactured;
using PdeOps.Physics.Pde;
using static TorchSharp.torch;

namespace PdeOps.Operators.Tests.Hypino;

/// <summary>A hypernetwork trained once on a narrow Poisson family, shared by the tests that use it.</summary>
public sealed class NarrowFamilyModel : IDisposable
{
    // Poisson on the square with a two-mode sine source: u = a sin(pi x) sin(pi y) + b sin(2 pi x) sin(pi y), u = 0 on the boundary.
    public static Problem2D Member(double a, double b)
    {
        string A = a.ToString("R", CultureInfo.InvariantCulture), B = b.ToString("R", CultureInfo.InvariantCulture);
        return Problem2D.FromText("uxx + uyy", $"-2*pi^2*{A}*sin(pi*x)*sin(pi*y) - 5*pi^2*{B}*sin(2*pi*x)*sin(pi*y)", "square", ["0"], [],
            $"{A}*sin(pi*x)*sin(pi*y) + {B}*sin(2*pi*x)*sin(pi*y)");
    }

    public NarrowFamilyModel()
    {
        manual_seed(0);
        var options = HypinoOptions.Small with { Resolution = 32, Depths = [1, 1], Embedding = 16, HeadWidth = 64 };
        Network = new HypinoNetwork(options);
        var random = new Random(1);
        var family = Enumerable.Range(0, 48).Select(_ => Member(2 * random.NextDouble() - 1, 2 * random.NextDouble() - 1)).ToList();
        // Six batches of eight members, each with four draws of collocation points.
        var batches = Enumerable.Range(0, 24)
            .Select(k => HypinoBatch.FromProblems(family.Skip(k % 6 * 8).Take(8).ToList(), options.Resolution, interior: 128, boundary: 64, seed: k)).ToList();
        // Mostly supervised on this family: the residual of a 70-sized source would dominate a short run.
        var loss = new HypinoLoss(ResidualWeight: 0.1, DerivativeWeight: 0.1);
        const int steps = 600;
        var optimizer = optim.AdamW(Network.parameters(), lr: 3e-3, weight_decay: 0);
        var schedule = optim.lr_scheduler.CosineAnnealingLR(optimizer, steps);
        for (int step = 0; step < steps; step++)
        {
            using var stepScope = NewDisposeScope();
            var terms = loss.Evaluate(Network, batches[step % batches.Count]);
            optimizer.zero_grad();
            terms.Total.backward();
            optimizer.step();
            schedule.step();
        }
        foreach (var b in batches) b.Dispose();
    }

    public HypinoNetwork Network { get; }

    public void Dispose() => Network.Dispose();
}

[Collection("torch random state")]
public class HypinoTrainingTests(NarrowFamilyModel model) : IClassFixture<NarrowFamilyModel>
{
    static double RelativeError(PinnEnsemble u, Problem2D problem)
    {
        var grid = Enumerable.Range(0, 41).Select(i => -1 + i / 20.0).ToArray();
        var x = grid.SelectMany(_ => grid).ToArray();
        var y = grid.SelectMany(v => grid.Select(_ => v)).ToArray();
        var predicted = u.Predict(x, y);
        var exact = problem.Exact!.Compile2D();
        double error = 0, norm = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double e = exact.Evaluate(x[i], y[i]);
            error += (predicted[i] - e) * (predicted[i] - e);
            norm += e * e;
        }
        return Math.Sqrt(error / norm);
    }

    [Fact]
    public void ANarrowFamilyIsLearnedWellEnoughToSolveAHeldOutMember()
    {
        // Zero-shot on a member it never saw: one forward pass writes the PINN.
        using var hypino = PdeOps.Operators.Hypino.Hypino.Wrap(model.Network, [0, 0, 0, 1, 1, 0]);
        var heldOut = NarrowFamilyModel.Member(0.6, -0.45);
        using var u = hypino.Solve(heldOut);
        double relative = RelativeError(u, heldOut);
        Assert.True(relative <= 0.05, $"relative L2 error {relative:P2} on the held-out member");
    }

    [Fact]
    public void AnAnswerAveragedOverTheDatasSignIsOddInTheDataAndNoWorseThanItsTwoAnswersOnAverage()
    {
        using var hypino = PdeOps.Operators.Hypino.Hypino.Wrap(model.Network, [0, 0, 0, 1, 1, 0]);
        var heldOut = NarrowFamilyModel.Member(0.6, -0.45);
        using var u = hypino.Solve(heldOut, SymmetryAveraging.Sign);
        using var negated = hypino.Solve(heldOut.Scaled(-1), SymmetryAveraging.Sign);
        Assert.Equal(2, u.Count);
        double[] x = [-0.7, 0.1, 0.55], y = [0.4, -0.85, 0.05];
        var (plus, minus) = (u.Predict(x, y), negated.Predict(x, y));
        // The network reads -P as the negated channels of P: the average is exactly odd in the data.
        for (int i = 0; i < x.Length; i++) Assert.Equal(plus[i], -minus[i], 1e-6 * (1 + Math.Abs(plus[i])));
        // Its error is at most the mean of the errors of the answer to P and of minus the answer to -P.
        using var asGiven = hypino.Solve(heldOut, SymmetryAveraging.None);
        using var ofNegative = hypino.Solve(heldOut.Scaled(-1), SymmetryAveraging.None);
        ofNegative.ScaleOutputs(-1);
        double averaged = RelativeError(u, heldOut), mean = (RelativeError(asGiven, heldOut) + RelativeError(ofNegative, heldOut)) / 2;
        Assert.True(averaged <= mean * (1 + 1e-6), $"averaged {averaged:P2}, mean of the two answers' errors {mean:P2}");
        Assert.True(averaged < 0.5, $"relative L2 error {averaged:P2}");
    }

    [Fact]
    public void RefinementNeverRaisesTheResidualOnFreshPoints()
    {
        using var hypino = PdeOps.Operators.Hypino.Hypino.Wrap(model.Network, [0, 0, 0, 1, 1, 0]);
        var loss = new PinnLoss(PinnPenalty.Mse);
        foreach (var (a, b) in new[] { (0.6, -0.45), (-0.8, 0.3), (0.15, 0.9) })
        {
            var problem = NarrowFamilyModel.Member(a, b);
            using var u = hypino.Solve(problem);
            // Scored on points the refinement never saw.
            using var fresh = new PinnCollocation(problem, 2048, 512, seed: 12345);
            // The terms apart, to be weighted as refinement weighs them once it has said how.
            (double Interior, double Dirichlet, double Neumann) Terms()
            {
                using var s = NewDisposeScope();
                var t = loss.Evaluate(u.Forward, problem.Operator, fresh);
                return (t.Residual.item<float>(), t.Dirichlet.item<float>(), t.Neumann.item<float>());
            }
            var termsBefore = Terms();
            var rounds = hypino.Refine(problem, u, rounds: 3, seed: 7);
            for (int k = 0; k < rounds.Count; k++) Assert.True(rounds[k].ResidualAfter <= rounds[k].ResidualBefore, $"round {k + 1}: {rounds[k]}");
            var weights = rounds[0].Loss;
            Assert.All(rounds, r => Assert.Equal(weights, r.Loss)); // one loss for every round of a call
            double Weighted((double Interior, double Dirichlet, double Neumann) t) => t.Interior + weights.DirichletWeight * t.Dirichlet + weights.NeumannWeight * t.Neumann;
            double before = Weighted(termsBefore), after = Weighted(Terms());
            Assert.True(after <= before, $"({a}, {b}): fresh-point residual {before:E3} before, {after:E3} after 3 rounds");
            Assert.InRange(u.Count, 1, 4);
        }
    }
}
