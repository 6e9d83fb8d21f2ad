using static TorchSharp.torch;

namespace PdeOps.Operators.Tests.Convergent;

/// <summary>
/// Runs a layer on periodic grids of 32, 64, 128 and 256 points per axis (nested: every coarse
/// point is a fine point) with a smooth input, and measures two things. Self-convergence: the
/// relative difference between the outputs on successive grids at their shared points, which
/// falls like 2^-p for a layer of order p. The non-local part: the norm of the output minus the
/// pointwise map by the kernel's sum, (sum c) f, relative to its norm on the reference grid of 32
/// points; a layer that keeps its meaning keeps it, a plain stencil loses it like h, collapsing to
/// a pointwise map (which also converges, to the wrong operator).
/// </summary>
internal static class RefinementStudy
{
    public static readonly long[] Grids = [32, 64, 128, 256];

    /// <summary>Two smooth periodic channels on an n x n periodic grid of the unit square, float64, (1, 2, n, n).</summary>
    public static Tensor Field(long n)
    {
        var x = arange(n, dtype: float64) / n;
        var (gx, gy) = (x.view(1, n).expand(n, n), x.view(n, 1).expand(n, n));
        var a = sin(2 * Math.PI * gx) * cos(2 * Math.PI * gy) + 0.5 * cos(4 * Math.PI * gx + 2 * Math.PI * gy);
        var b = exp(sin(2 * Math.PI * (gx - gy))) - 0.3 * sin(2 * Math.PI * gy);
        return stack(new[] { a, b }).unsqueeze(0);
    }

    /// <summary>The points of a periodic field that lie on the coarser nested grid of <paramref name="n"/> points per axis.</summary>
    public static Tensor Restrict(Tensor field, long n)
    {
        long step = field.shape[2] / n;
        return field.slice(2, 0, field.shape[2], step).slice(3, 0, field.shape[3], step);
    }

    /// <summary>||a - b|| / ||b||.</summary>
    public static double Relative(Tensor a, Tensor b) => (a - b).norm().item<double>() / b.norm().item<double>();

    /// <summary>Outputs of <paramref name="layer"/> on every grid, coarse to fine.</summary>
    public static Tensor[] Outputs(Func<Tensor, Tensor> layer)
    {
        using var noGrad = no_grad();
        return Grids.Select(n => layer(Field(n))).ToArray();
    }

    /// <summary>Relative difference between the outputs on successive grids, at the coarser grid's points (output grids may be a fixed fraction of the input's).</summary>
    public static double[] SuccessiveDifferences(Tensor[] outputs) =>
        Enumerable.Range(0, outputs.Length - 1)
            .Select(i => Relative(outputs[i], Restrict(outputs[i + 1], outputs[i].shape[2])))
            .ToArray();

    /// <summary>||L f - P f|| on every grid relative to its value on the first grid, with P f the output of <paramref name="pointwise"/>.</summary>
    public static double[] NonLocalPart(Tensor[] outputs, Func<Tensor, Tensor> pointwise)
    {
        using var noGrad = no_grad();
        var norms = outputs.Select((o, i) => RootMeanSquare(o - pointwise(Field(Grids[i])))).ToArray();
        return norms.Select(n => n / norms[0]).ToArray();
    }

    /// <summary>The root mean square of a field's entries, a grid-independent L2 norm on the unit square.</summary>
    public static double RootMeanSquare(Tensor t) => t.square().mean().sqrt().item<double>();

    /// <summary>Observed orders log2(d_i / d_{i+1}) of successive differences.</summary>
    public static double[] Orders(double[] differences) =>
        Enumerable.Range(0, differences.Length - 1).Select(i => Math.Log2(differences[i] / differences[i + 1])).ToArray();
}
