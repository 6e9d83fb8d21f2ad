using PdeOps.Operators.Losses;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace PdeOps.Operators.Layers;

/// <summary>
/// A convolution whose kernel has a fixed physical support: a k x k kernel learned on a reference
/// grid of spacing h0 acts, on a grid of spacing h = h0 / s, as the kernel of size
/// K = 2 round(s (k-1)/2) + 1 obtained by bilinear interpolation of the learned one over the same
/// physical square, rescaled by the ratio of the two grids' quadrature weights, with padding (K-1)/2
/// (kernel interpolation, Berner, Liu-Schiaffini, Kossaifi et al., "Principled Approaches for
/// Extending Neural Architectures to Function Spaces for Operator Learning", 2025).
/// </summary>
/// <remarks>
/// The k x k taps are read as the trapezoidal quadrature, over the support square S, of a
/// continuous kernel kappa: tap c_j = kappa(y_j) w_j. On the finer grid kappa is interpolated
/// bilinearly and multiplied by the K-point trapezoidal weights, so the layer converges at first
/// order to the integral operator (integral over S of kappa(y) f(x + y) dy) as h goes to 0, and the
/// kernel's sum (its action on constants) is the same on every grid: trapezoidal quadrature of a
/// piecewise-linear kernel is exact. The plain ratio k^2 / K^2 keeps the size of the kernel only
/// roughly: it changes the sum of a 3 x 3 kernel with non-zero corners by up to a quarter in the
/// limit. On the reference grid the layer is the original convolution exactly. A plain convolution
/// instead shrinks to the pointwise map (sum of the kernel) f(x) as the grid is refined.
/// </remarks>
public sealed class FixedSupportConv2d : StencilLayer2d
{
    /// <summary>Creates the layer with PyTorch's default convolution initialisation.</summary>
    /// <param name="inChannels">Channels of the input field.</param>
    /// <param name="outChannels">Channels of the output field.</param>
    /// <param name="kernelSize">Odd kernel size k on the reference grid.</param>
    /// <param name="reference">The grid the kernel is defined on; null: the first grid the layer sees.</param>
    /// <param name="convention">Where the points lie; used when <paramref name="reference"/> is recorded from the first input. Periodic grids pad circularly, closed ones with zeros.</param>
    /// <param name="hasBias">Whether a per-channel bias is added.</param>
    /// <param name="name">Module name.</param>
    public FixedSupportConv2d(int inChannels, int outChannels, int kernelSize, ReferenceGrid2d? reference,
        GridConvention convention = GridConvention.Closed, bool hasBias = true, string name = "fixed_support_conv")
        : this(NewWeight(inChannels, outChannels, kernelSize), hasBias ? NewBias(inChannels, kernelSize, outChannels) : null,
            GridResolution.PaddingFor(convention), 1, reference, convention, name)
    {
    }

    /// <summary>The conversion of a learned same-padded, stride-1 convolution; its parameters are kept, not copied.</summary>
    /// <param name="weight">(out, in / groups, kh, kw) kernel with odd kh and kw; kept, not copied.</param>
    /// <param name="bias">Per-channel bias or null; kept, not copied.</param>
    /// <param name="paddingMode">How the input is padded by (K-1)/2 points.</param>
    /// <param name="groups">Channel groups, as in the original convolution.</param>
    /// <param name="reference">The grid the kernel is defined on; null: the first grid the layer sees.</param>
    /// <param name="convention">Where the points lie; used when <paramref name="reference"/> is recorded from the first input.</param>
    /// <param name="name">Module name.</param>
    public static FixedSupportConv2d FromConvolution(Parameter weight, Parameter? bias, PaddingModes paddingMode, long groups,
        ReferenceGrid2d? reference, GridConvention convention, string name = "fixed_support_conv") =>
        new(weight, bias, paddingMode, groups, reference, convention, name);

    private FixedSupportConv2d(Parameter weight, Parameter? bias, PaddingModes paddingMode, long groups, ReferenceGrid2d? reference,
        GridConvention convention, string name)
        : base(weight, bias, paddingMode, groups, reference, convention, name, "kernel interpolation")
    {
    }

    /// <summary>The kernel size (height, width) used on a grid of <paramref name="height"/> x <paramref name="width"/> points.</summary>
    /// <exception cref="ArgumentException">The grid is so coarse that the kernel shrinks to a single point.</exception>
    public (long Height, long Width) KernelSizeOn(long height, long width)
    {
        var reference = ReferenceFor(height, width);
        var (sh, sw) = reference.Refinement(height, width);
        long kh = ScaledSize(weight.shape[2], sh), kw = ScaledSize(weight.shape[3], sw);
        if ((weight.shape[2] > 1 && kh < 3) || (weight.shape[3] > 1 && kw < 3))
            throw new ArgumentException(
                $"a {height}x{width} grid is coarser than the {weight.shape[2]}x{weight.shape[3]} kernel learned on {reference} can represent: it would shrink to {kh}x{kw} points");
        return (kh, kw);
    }

    /// <summary>The kernel, interpolated and rescaled, that the layer applies on a grid of <paramref name="height"/> x <paramref name="width"/> points.</summary>
    public Tensor KernelOn(long height, long width)
    {
        var (kh, kw) = KernelSizeOn(height, width);
        if (kh == weight.shape[2] && kw == weight.shape[3]) return weight.alias();
        using var scope = NewDisposeScope();
        // The learned taps are read as trapezoidal quadrature of a continuous kernel over the support:
        // divide by the k-point weights, interpolate the kernel, multiply by the K-point weights.
        var values = weight / Trapezoid(weight.shape[2], weight.shape[3], weight);
        var interpolated = F.interpolate(values, new[] { kh, kw }, mode: InterpolationMode.Bilinear, align_corners: true);
        return (interpolated * Trapezoid(kh, kw, weight)).MoveToOuterDisposeScope();
    }

    // Trapezoidal weights of n points over an interval of length 1 (1/(n-1), halved at the two
    // ends; 1 for a single point), as the (1, 1, nh, nw) outer product of the two axes.
    static Tensor Trapezoid(long nh, long nw, Tensor like)
    {
        static Tensor Axis(long n, Tensor like)
        {
            if (n == 1) return ones(1, dtype: like.dtype, device: like.device);
            var w = Enumerable.Repeat(1.0 / (n - 1), (int)n).ToArray();
            w[0] = w[^1] = 0.5 / (n - 1);
            return tensor(w, dtype: like.dtype, device: like.device);
        }
        return outer(Axis(nh, like), Axis(nw, like)).view(1, 1, nh, nw);
    }

    /// <summary>Maps (batch, in, H, W) to (batch, out, H, W).</summary>
    public override Tensor forward(Tensor input)
    {
        if (OnReferenceGrid(input)) return Apply(input, weight);
        using var scope = NewDisposeScope();
        return Apply(input, KernelOn(input.shape[2], input.shape[3])).MoveToOuterDisposeScope();
    }

    // The odd size whose half-width covers the same physical length: 2 round(s (k-1)/2) + 1.
    static long ScaledSize(long k, double refinement) => 2 * (long)Math.Round(refinement * (k - 1) / 2.0) + 1;
}
