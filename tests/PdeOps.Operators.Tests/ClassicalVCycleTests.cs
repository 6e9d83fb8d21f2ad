using PdeOps.Operators.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace PdeOps.Operators.Tests;

/// <summary>
/// With its stencils set by hand to a classical geometric multigrid (rediscretised 5-point
/// operator, damped Jacobi, full weighting, bilinear interpolation) the MgNO V-cycle must behave
/// like one: iterated as u &lt;- u + V(f - A u) it converges at a rate bounded away from 1 that
/// does not degrade as the grid is refined, to the discrete solution computed independently by FFT.
/// </summary>
public class ClassicalVCycleTests
{
    private const double Shift = 20;   // -Lap u + Shift u = f keeps the periodic problem nonsingular
    private const double Omega = 0.8;  // Jacobi damping that makes the 5-point Jacobi a smoother in 2D

    [Theory]
    [InlineData(32, 5)]
    [InlineData(64, 6)]
    public void ClassicalWeightsGiveAGridIndependentConvergenceFactor(int n, int levels)
    {
        using var scope = NewDisposeScope();
        var pre = Enumerable.Repeat(1, levels).ToArray();
        var post = Enumerable.Repeat(1, levels).ToArray();
        pre[^1] = 6;   // the 2x2 coarsest level is smoothed to near-exactness
        post[^1] = 0;
        using var cycle = new MultigridVCycle2d(1, 1, pre, post, BoundaryPadding.Periodic);
        cycle.to(float64);
        SetClassicalWeights(cycle, n);

        manual_seed(12);
        var f = randn(new long[] { 1, 1, n, n }, float64);
        var exact = SpectralSolve(f, n);
        var u = zeros_like(f);
        double previous = Norm(f - Apply(u, n)), worst = 0;
        using var noGrad = no_grad();
        for (int k = 0; k < 10; k++)
        {
            u = u + cycle.call(f - Apply(u, n));
            double residual = Norm(f - Apply(u, n));
            worst = Math.Max(worst, residual / previous);
            previous = residual;
        }
        // Local Fourier analysis: a damped Jacobi sweep (omega 4/5) damps oscillatory modes by 3/5,
        // so V(1,1) reduces the residual by about (3/5)^2 = 0.36 per cycle on every grid.
        Assert.True(worst < 0.4, $"residual reduction factor {worst:F3} per cycle at n = {n}");
        double error = Norm(u - exact) / Norm(exact);
        Assert.True(error < 1e-5, $"relative error {error:E2} after 10 cycles at n = {n}");
    }

    /// <summary>Sets every stencil of the cycle to its classical counterpart on the grid of its level.</summary>
    private static void SetClassicalWeights(MultigridVCycle2d cycle, int n)
    {
        using var noGrad = no_grad();
        foreach (var (name, p) in cycle.named_parameters())
        {
            // Names: operators.a{l}.weight, preSmoothers.{l}.{s}.weight, postSmoothers.{l}.{s}.weight,
            // restrictions.{l}.weight, prolongations.{l}.weight.
            var parts = name.Split('.');
            int level = parts[0] == "operators" ? int.Parse(parts[1][1..]) : int.Parse(parts[1]);
            double h = (1 << level) / (double)n;
            double[] stencil = parts[0] switch
            {
                "operators" => new[] { 0, -1, 0, -1, 4 + Shift * h * h, -1, 0, -1, 0 }.Select(w => w / (h * h)).ToArray(),
                "preSmoothers" or "postSmoothers" => new[] { 0, 0, 0, 0, Omega * h * h / (4 + Shift * h * h), 0, 0, 0, 0 },
                "restrictions" => new[] { 1, 2, 1, 2, 4, 2, 1, 2, 1 }.Select(w => w / 16.0).ToArray(),
                "prolongations" => new[] { 1, 2, 1, 2, 4, 2, 1, 2, 1 }.Select(w => w / 4.0).ToArray(),
                _ => throw new InvalidOperationException($"unexpected parameter {name}"),
            };
            p.copy_(tensor(stencil, float64).reshape(1, 1, 3, 3));
        }
    }

    /// <summary>(-Lap_h + Shift) u on the periodic grid, by shifts (independent of the convolutions under test).</summary>
    private static Tensor Apply(Tensor u, int n)
    {
        double h2 = 1.0 / ((double)n * n);
        var neighbours = u.roll(1, 2) + u.roll(-1, 2) + u.roll(1, 3) + u.roll(-1, 3);
        return (4 * u - neighbours) / h2 + Shift * u;
    }

    /// <summary>The discrete solution from the operator's Fourier symbol.</summary>
    private static Tensor SpectralSolve(Tensor f, int n)
    {
        var k = arange(n, float64) * (2 * Math.PI / n);
        var symbol1 = (2 - 2 * k.cos()) * n * n;
        var symbol = symbol1.reshape(n, 1) + symbol1.reshape(1, n) + Shift;
        return fft.ifft2(fft.fft2(f) / symbol).real;
    }

    private static double Norm(Tensor t) => t.square().sum().sqrt().item<double>();
}
