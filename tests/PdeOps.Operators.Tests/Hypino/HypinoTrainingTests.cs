using System.Globalization;
using PdeOps.Operators.Hypino;
using PdeOps.Physics.Pde;
using static TorchSharp.torch;

namespace PdeOps.Operators.Tests.Hypino;

public class HypinoTrainingTests
{
    // Poisson on the square with a two-mode sine source: u = a sin(pi x) sin(pi y) + b sin(2 pi x) sin(pi y), u = 0 on the boundary.
    static Problem2D Member(double a, double b)
    {
        string A = a.ToString("R", CultureInfo.InvariantCulture), B = b.ToString("R", CultureInfo.InvariantCulture);
        return Problem2D.FromText("uxx + uyy", $"-2*pi^2*{A}*sin(pi*x)*sin(pi*y) - 5*pi^2*{B}*sin(2*pi*x)*sin(pi*y)", "square", ["0"], [],
            $"{A}*sin(pi*x)*sin(pi*y) + {B}*sin(2*pi*x)*sin(pi*y)");
    }

    [Fact]
    public void ANarrowFamilyIsLearnedWellEnoughToSolveAHeldOutMember()
    {
        using var scope = NewDisposeScope();
        manual_seed(0);
        var options = HypinoOptions.Small with { Resolution = 32, Depths = [1, 1], Embedding = 16, HeadWidth = 64 };
        using var network = new HypinoNetwork(options);
        var random = new Random(1);
        var family = Enumerable.Range(0, 48).Select(_ => Member(2 * random.NextDouble() - 1, 2 * random.NextDouble() - 1)).ToList();
        // Six batches of eight members, each with four draws of collocation points.
        var batches = Enumerable.Range(0, 24)
            .Select(k => HypinoBatch.FromProblems(family.Skip(k % 6 * 8).Take(8).ToList(), options.Resolution, interior: 128, boundary: 64, seed: k)).ToList();
        // Mostly supervised on this family: the residual of a 70-sized source would dominate a short run.
        var loss = new HypinoLoss(ResidualWeight: 0.1, DerivativeWeight: 0.1);
        const int steps = 600;
        var optimizer = optim.AdamW(network.parameters(), lr: 3e-3, weight_decay: 0);
        var schedule = optim.lr_scheduler.CosineAnnealingLR(optimizer, steps);
        for (int step = 0; step < steps; step++)
        {
            using var stepScope = NewDisposeScope();
            var terms = loss.Evaluate(network, batches[step % batches.Count]);
            optimizer.zero_grad();
            terms.Total.backward();
            optimizer.step();
            schedule.step();
        }

        // Zero-shot on a member it never saw: one forward pass writes the PINN.
        var heldOut = Member(0.6, -0.45);
        using var _ = no_grad();
        var problem = HypinoBatch.FromProblems([heldOut], options.Resolution, interior: 16, boundary: 16, seed: 99);
        var flat = network.call(problem.Channels, problem.Coefficients);
        var grid = linspace(-1, 1, 41);
        var points = stack([grid.repeat(41), grid.repeat_interleave(41)], 1).unsqueeze(0);
        var u = network.EvaluatePinns(flat, points).squeeze(0).to(float64);
        var (x, y) = (points[0, TensorIndex.Colon, 0].to(float64), points[0, TensorIndex.Colon, 1].to(float64));
        var exact = 0.6 * (Math.PI * x).sin() * (Math.PI * y).sin() - 0.45 * (2 * Math.PI * x).sin() * (Math.PI * y).sin();
        double relative = ((u - exact).norm() / exact.norm()).item<double>();
        Assert.True(relative <= 0.05, $"relative L2 error {relative:P2} on the held-out member");
    }
}
