using PdeOps.Operators.Pinn;
using PdeOps.Physics.Pde;
using static TorchSharp.torch;

namespace PdeOps.Operators.Hypino;

/// <summary>
/// The interior, Dirichlet and Neumann residuals of an approximation u on a collocation set
/// (r_f = f − L u, r_D = g_D − u, r_N = g_N − ∂u/∂n, masked where a condition holds), or, for a
/// correction d, the parts (L d, d, ∂d/∂n) it changes them by. Their weighted mean squares are the
/// MSE PINN loss; the loss of u + α d is quadratic in α, so the best α is one division.
/// </summary>
internal sealed class Residuals
{
    readonly double[] interior, dirichlet, neumann, dirichletMask, neumannMask;
    readonly PinnLoss weights;

    Residuals(double[] interior, double[] dirichlet, double[] neumann, double[] dirichletMask, double[] neumannMask, PinnLoss weights)
    {
        (this.interior, this.dirichlet, this.neumann, this.dirichletMask, this.neumannMask, this.weights) = (interior, dirichlet, neumann, dirichletMask, neumannMask, weights);
        Loss = Inner(this, this);
        Magnitude = Math.Max(Math.Max(MaxAbs(dirichlet, dirichletMask), MaxAbs(neumann, neumannMask)), interior.Max(Math.Abs) / 10);
    }

    /// <summary>The weighted mean squares: the MSE PINN loss.</summary>
    public double Loss { get; }

    /// <summary>The size the residual problem is scaled by: the largest boundary residual, or a tenth of the largest interior one when that is larger.</summary>
    public double Magnitude { get; }

    /// <summary>The residuals of <paramref name="u"/> (or, with <paramref name="zeroData"/>, what u contributes to them with the sign flipped).</summary>
    public static Residuals Of(Func<Tensor, Tensor> u, LinearOperator2D op, PinnCollocation points, PinnLoss weights, bool zeroData = false)
    {
        using var scope = NewDisposeScope();
        var inside = PinnDerivatives.Of(u, points.Interior);
        var edge = PinnDerivatives.Of(u, points.Boundary);
        var lu = inside.Apply(op);
        var flux = edge.Flux(points.Normals);
        return zeroData
            ? new Residuals(Values(lu), Values(edge.U), Values(flux), Values(points.DirichletMask), Values(points.NeumannMask), weights)
            : new Residuals(Values(points.Source - lu), Values(points.DirichletValue - edge.U), Values(points.NeumannValue - flux),
                Values(points.DirichletMask), Values(points.NeumannMask), weights);
    }

    /// <summary>The residuals of u = 0: the problem's data (f, g_D, g_N) themselves.</summary>
    public static Residuals OfZero(PinnCollocation points, PinnLoss weights) =>
        new(Values(points.Source), Values(points.DirichletValue), Values(points.NeumannValue), Values(points.DirichletMask), Values(points.NeumannMask), weights);

    static double[] Values(Tensor t) => t.detach().to(float64).data<double>().ToArray();

    /// <summary>The α that minimises the loss of u + α d, where this holds u's residuals and <paramref name="applied"/> d's parts.</summary>
    public double BestMultipleOf(Residuals applied)
    {
        double denominator = Inner(applied, applied);
        return denominator > 0 && double.IsFinite(denominator) ? Inner(this, applied) / denominator : 0;
    }

    static double Inner(Residuals a, Residuals b) =>
        Mean(a.interior, b.interior, null) + a.weights.DirichletWeight * Mean(a.dirichlet, b.dirichlet, a.dirichletMask)
        + a.weights.NeumannWeight * Mean(a.neumann, b.neumann, a.neumannMask);

    static double Mean(double[] a, double[] b, double[]? mask)
    {
        double sum = 0, count = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double m = mask?[i] ?? 1;
            sum += m * a[i] * b[i];
            count += m;
        }
        return count > 0 ? sum / count : 0;
    }

    static double MaxAbs(double[] values, double[] mask)
    {
        double max = 0;
        for (int i = 0; i < values.Length; i++) if (mask[i] > 0) max = Math.Max(max, Math.Abs(values[i]));
        return max;
    }
}
