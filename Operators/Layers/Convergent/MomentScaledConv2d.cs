using PdeOps.Operators.Losses;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PdeOps.Operators.Layers;

/// <summary>
/// A learned k x k stencil kept as the same second-order differential operator on every grid: its
/// moments mu_pq = sum_ij c_ij i^p j^q are the coefficients of h^(p+q) d^p/dy^p d^q/dx^q / (p! q!)
/// in its Taylor expansion, so on a grid of spacing h = h0 / s the layer uses the stencil whose
/// moments of order p + q &lt;= 2 are s^(p+q) mu_pq, the learned stencil's physical moments on the
/// reference grid h0, and whose higher moments keep their discrete size (they vanish under
/// refinement). The conversion of a convolution read as a finite-difference operator: mass,
/// advection and diffusion, with the 1/h^2 scaling of a discretised diffusion operator.
/// </summary>
/// <remarks>
/// With V the k x k Vandermonde matrix of the offsets (V_pj = j^p), the moments are
/// M = V_y c V_x^T; the layer scales them entrywise and maps them back, c' = V_y^-1 (M o S) V_x^-T.
/// On the reference grid S = 1 and the layer is the original convolution exactly. For smooth
/// inputs the result converges at second order to mu_00 f + h0 (mu_10 f_y + mu_01 f_x) +
/// h0^2 (mu_20 f_yy / 2 + mu_11 f_xy + mu_02 f_xx / 2). Scaling the moments of order 3 and 4 too
/// would keep a 3 x 3 stencil's every moment but multiply float32 rounding noise by s^4 per layer,
/// which a network of a few layers turns into garbage at 4x refinement. Jumps in the input are
/// amplified like s^2, so a kernel interpolation (<see cref="FixedSupportConv2d"/>) suits layers
/// that see discontinuous data.
/// </remarks>
public sealed class MomentScaledConv2d : StencilLayer2d
{
    private MomentScaledConv2d(Parameter weight, Parameter? bias, PaddingModes paddingMode, long groups, ReferenceGrid2d? reference,
        GridConvention convention, string name)
        : base(weight, bias, paddingMode, groups, reference, convention, name, "moment scaling")
    {
    }

    /// <summary>The conversion of a same-padded, stride-1 convolution; its parameters are kept, not copied.</summary>
    /// <param name="weight">(out, in / groups, kh, kw) stencil with odd kh and kw.</param>
    /// <param name="bias">Per-channel bias or null.</param>
    /// <param name="paddingMode">The original convolution's padding mode.</param>
    /// <param name="groups">Channel groups, as in the original convolution.</param>
    /// <param name="reference">The grid the stencil was learned on; null: the first grid the layer sees.</param>
    /// <param name="convention">Where the points lie.</param>
    /// <param name="name">Module name.</param>
    public static MomentScaledConv2d FromConvolution(Parameter weight, Parameter? bias, PaddingModes paddingMode, long groups,
        ReferenceGrid2d? reference, GridConvention convention, string name = "moment_scaled_conv") =>
        new(weight, bias, paddingMode, groups, reference, convention, name);

    /// <summary>The stencil used on a grid of <paramref name="height"/> x <paramref name="width"/> points.</summary>
    public Tensor StencilOn(long height, long width)
    {
        var (sh, sw) = ReferenceFor(height, width).Refinement(height, width);
        return Rescale(weight, sh, sw);
    }

    /// <summary>
    /// The stencil with the moments of <paramref name="weight"/> (out, in, kh, kw) of order up to
    /// <see cref="MaxOrder"/> multiplied by sh^p sw^q: the same operator in physical units on a grid
    /// sh and sw times finer along the two axes.
    /// </summary>
    internal static Tensor Rescale(Tensor weight, double sh, double sw)
    {
        using var scope = NewDisposeScope();
        long kh = weight.shape[2], kw = weight.shape[3];
        var (vy, vx) = (Vandermonde(kh), Vandermonde(kw));
        var factors = new double[kh, kw];
        for (int p = 0; p < kh; p++)
            for (int q = 0; q < kw; q++)
                factors[p, q] = p + q <= MaxOrder ? Math.Pow(sh, p) * Math.Pow(sw, q) : 1.0;
        var moments = einsum("pa,oiab,qb->oipq", vy, weight.to(float64), vx) * tensor(factors, dtype: float64);
        var stencil = einsum("ap,oipq,bq->oiab", linalg.inv(vy), moments, linalg.inv(vx));
        return stencil.to(weight.dtype).MoveToOuterDisposeScope();
    }

    /// <summary>Maps (batch, in, H, W) to (batch, out, H, W).</summary>
    public override Tensor forward(Tensor input)
    {
        if (OnReferenceGrid(input)) return Apply(input, weight);
        using var scope = NewDisposeScope();
        return Apply(input, StencilOn(input.shape[2], input.shape[3])).MoveToOuterDisposeScope();
    }

    /// <summary>The highest total order p + q of the moments kept in physical units.</summary>
    public const int MaxOrder = 2;

    // V_pj = j^p for the k offsets -m..m, in double precision.
    static Tensor Vandermonde(long k)
    {
        long m = k / 2;
        var v = new double[k, k];
        for (int p = 0; p < k; p++)
            for (int j = 0; j < k; j++) v[p, j] = Math.Pow(j - m, p);
        return tensor(v, dtype: float64);
    }
}
