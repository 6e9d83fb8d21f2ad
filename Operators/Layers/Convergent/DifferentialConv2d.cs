using PdeOps.Operators.Losses;
using PdeOps.Operators.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace PdeOps.Operators.Layers;

/// <summary>
/// A differential kernel (Liu-Schiaffini, Berner, Bonev et al., "Neural Operators with Localized
/// Integral and Differential Kernels", ICML 2024): out(x) = (1/h) (sum_j c_j f(x + j h) - f(x) sum_j c_j),
/// a zero-sum stencil divided by the grid spacing h, which converges to the first-order
/// differential operator sum_j c_j (j . grad f)(x) as h goes to 0.
/// </summary>
/// <remarks>
/// Built by conversion from a learned convolution (<see cref="FromConvolution"/>), the layer splits
/// the kernel c into its zero-sum part and its sum: out = (h0/h) (c * f - f sum c) + (sum c) f + b
/// with h0 the reference spacing. On the reference grid that is the original convolution, taken
/// exactly; on any other grid the zero-sum part keeps the size it had there instead of vanishing
/// as O(h), as it does in a plain convolution. Spacings are physical: 1/(n-1) on a closed grid of
/// n points, 1/n on a periodic one.
/// </remarks>
public sealed class DifferentialConv2d : StencilLayer2d
{
    /// <summary>Creates the differential kernel (out = (1/h)(c * f - f sum c) + b) with PyTorch's default convolution initialisation.</summary>
    /// <param name="inChannels">Channels of the input field.</param>
    /// <param name="outChannels">Channels of the output field.</param>
    /// <param name="kernelSize">Odd stencil size.</param>
    /// <param name="convention">Where the points lie, which sets the spacing.</param>
    /// <param name="paddingMode">How the input is padded by (k-1)/2 points; replicate keeps one-sided differences finite at the edges.</param>
    /// <param name="hasBias">Whether a per-channel bias is added.</param>
    /// <param name="name">Module name.</param>
    /// <param name="reference">
    /// When given, the stencil is held in units of this grid's spacing h0: out = (h0/h)(c * f - f sum c).
    /// That is the same operator with c rescaled by h0, but an optimiser then moves c at the scale
    /// of a plain convolution's weights instead of 1/h0 times faster.
    /// </param>
    public DifferentialConv2d(int inChannels, int outChannels, int kernelSize, GridConvention convention,
        PaddingModes paddingMode = PaddingModes.Replicate, bool hasBias = true, string name = "differential_conv", ReferenceGrid2d? reference = null)
        : this(NewWeight(inChannels, outChannels, kernelSize), hasBias ? NewBias(inChannels, kernelSize, outChannels) : null,
            paddingMode, 1, reference, convention, pointwise: false, name)
    {
    }

    private DifferentialConv2d(Parameter weight, Parameter? bias, PaddingModes paddingMode, long groups, ReferenceGrid2d? reference,
        GridConvention convention, bool pointwise, string name)
        : base(weight, bias, paddingMode, groups, reference, convention, name, "a differential kernel")
    {
        KeepsPointwisePart = pointwise;
    }

    /// <summary>
    /// The conversion of a same-padded, stride-1 convolution: out = (h0/h)(c * f - f sum c) + (sum c) f + b,
    /// the original convolution on the reference grid. The parameters are kept, not copied.
    /// </summary>
    /// <param name="weight">(out, in / groups, kh, kw) kernel with odd kh and kw.</param>
    /// <param name="bias">Per-channel bias or null.</param>
    /// <param name="paddingMode">The original convolution's padding mode.</param>
    /// <param name="groups">Channel groups, as in the original convolution.</param>
    /// <param name="reference">The grid the kernel was learned on; null: the first grid the layer sees.</param>
    /// <param name="convention">Where the points lie.</param>
    /// <param name="name">Module name.</param>
    public static DifferentialConv2d FromConvolution(Parameter weight, Parameter? bias, PaddingModes paddingMode, long groups,
        ReferenceGrid2d? reference, GridConvention convention, string name = "differential_conv") =>
        new(weight, bias, paddingMode, groups, reference, convention, pointwise: true, name);

    /// <summary>Whether the kernel's sum acts as a pointwise term beside the differential part (a converted convolution).</summary>
    public bool KeepsPointwisePart { get; }

    /// <summary>Maps (batch, in, H, W) to (batch, out, H, W).</summary>
    public override Tensor forward(Tensor input)
    {
        // A standalone differential kernel works in physical units, or in units of a reference spacing given at construction.
        if (KeepsPointwisePart && OnReferenceGrid(input)) return Apply(input, weight);
        RequireField(input);
        long height = input.shape[2], width = input.shape[3];
        if (weight.shape[2] > height || weight.shape[3] > width)
            throw new ArgumentException($"a {height}x{width} grid is smaller than the {weight.shape[2]}x{weight.shape[3]} stencil of a differential kernel");

        using var scope = NewDisposeScope();
        // One factor for both axes: a stencil scaled by 1/h converges to a derivative only on a
        // square-celled grid, where the two spacings are the same.
        double spacing = GridResolution.Spacing(Math.Max(height, width), Convention);
        double scale = Reference is null ? 1.0 / spacing : GridResolution.Refinement(Math.Max(Reference.Height, Reference.Width), Math.Max(height, width), Convention);
        var sum = weight.sum(new long[] { 2, 3 }, keepdim: true);
        long ph = weight.shape[2] / 2, pw = weight.shape[3] / 2;
        var centre = F.pad(sum, new[] { pw, pw, ph, ph });
        // One convolution with the zero-sum stencil (c - centre sum c), scaled, plus the pointwise term.
        var kernel = (weight - centre) * scale;
        if (KeepsPointwisePart) kernel = kernel.Plus(centre);
        return Apply(input, kernel).MoveToOuterDisposeScope();
    }
}
