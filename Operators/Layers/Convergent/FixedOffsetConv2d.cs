using PdeOps.Operators.Losses;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PdeOps.Operators.Layers;

/// <summary>
/// A convolution whose taps sit at fixed physical offsets: a k x k stencil c learned on a grid of
/// spacing h0 is read as the operator (K f)(x) = sum_j c_j f(x + j h0), a weighted sum of
/// translations of f. Translations are bounded on L2 and on continuous functions, so the operator
/// has one meaning on every grid, and on every grid it keeps all the learned stencil's moments.
/// </summary>
/// <remarks>
/// On a grid of spacing h = h0 / s with s a whole number the layer is the learned convolution
/// dilated by s: exact, with no interpolation, and at the points the grid shares with the
/// reference grid it gives what the learned convolution gives there. On other grids the translated
/// values are interpolated bilinearly (tap j spread over the grid points around j h0), which
/// converges at second order for smooth inputs. A converted network whose convolutions all follow
/// this rule is best run on a grid refined by a whole factor (<see cref="Conversion.ConvertedNetwork"/>
/// does so). Kernel interpolation (<see cref="FixedSupportConv2d"/>) instead reads the taps as
/// quadrature of a piecewise-linear kernel, which keeps the kernel's sum but only 2/3 of its first
/// moment: a different operator from the one learned wherever the features vary on the scale h0.
/// </remarks>
public sealed class FixedOffsetConv2d : StencilLayer2d
{
    private FixedOffsetConv2d(Parameter weight, Parameter? bias, PaddingModes paddingMode, long groups, ReferenceGrid2d? reference,
        GridConvention convention, string name)
        : base(weight, bias, paddingMode, groups, reference, convention, name, "fixed offsets")
    {
    }

    /// <summary>Creates the layer with PyTorch's default convolution initialisation.</summary>
    /// <param name="inChannels">Channels of the input field.</param>
    /// <param name="outChannels">Channels of the output field.</param>
    /// <param name="kernelSize">Odd kernel size k on the reference grid.</param>
    /// <param name="reference">The grid the stencil is defined on; null: the first grid the layer sees.</param>
    /// <param name="convention">Where the points lie. Periodic grids pad circularly, closed ones with zeros.</param>
    /// <param name="hasBias">Whether a per-channel bias is added.</param>
    /// <param name="name">Module name.</param>
    public FixedOffsetConv2d(int inChannels, int outChannels, int kernelSize, ReferenceGrid2d? reference,
        GridConvention convention = GridConvention.Closed, bool hasBias = true, string name = "fixed_offset_conv")
        : this(NewWeight(inChannels, outChannels, kernelSize), hasBias ? NewBias(inChannels, kernelSize, outChannels) : null,
            GridResolution.PaddingFor(convention), 1, reference, convention, name)
    {
    }

    /// <summary>The conversion of a learned same-padded, stride-1 convolution; its parameters are kept, not copied.</summary>
    /// <param name="weight">(out, in / groups, kh, kw) stencil with odd kh and kw.</param>
    /// <param name="bias">Per-channel bias or null.</param>
    /// <param name="paddingMode">The original convolution's padding mode.</param>
    /// <param name="groups">Channel groups, as in the original convolution.</param>
    /// <param name="reference">The grid the stencil was learned on; null: the first grid the layer sees.</param>
    /// <param name="convention">Where the points lie.</param>
    /// <param name="name">Module name.</param>
    public static FixedOffsetConv2d FromConvolution(Parameter weight, Parameter? bias, PaddingModes paddingMode, long groups,
        ReferenceGrid2d? reference, GridConvention convention, string name = "fixed_offset_conv") =>
        new(weight, bias, paddingMode, groups, reference, convention, name);

    /// <summary>
    /// The dense stencil the layer applies on a grid of <paramref name="height"/> x <paramref name="width"/>
    /// points (size 2 ceil(s (k-1)/2) + 1 per axis); on whole refinements the layer applies the
    /// learned stencil dilated instead, which this equals.
    /// </summary>
    public Tensor StencilOn(long height, long width)
    {
        var (sh, sw) = ReferenceFor(height, width).Refinement(height, width);
        using var scope = NewDisposeScope();
        var rows = AxisMap(weight.shape[2], sh, weight);
        var columns = AxisMap(weight.shape[3], sw, weight);
        return matmul(matmul(rows, weight), columns.t()).MoveToOuterDisposeScope();
    }

    /// <summary>Maps (batch, in, H, W) to (batch, out, H, W).</summary>
    public override Tensor forward(Tensor input)
    {
        if (OnReferenceGrid(input)) return Apply(input, weight);
        var (sh, sw) = Reference!.Refinement(input.shape[2], input.shape[3]);
        long dh = WholeFactor(sh), dw = WholeFactor(sw);
        if (dh > 0 && dw > 0) return SamePaddedConv(input, weight, bias, PaddingMode, Groups, dh, dw);
        using var scope = NewDisposeScope();
        return Apply(input, StencilOn(input.shape[2], input.shape[3])).MoveToOuterDisposeScope();
    }

    // s when it is a whole number (to rounding), else 0.
    static long WholeFactor(double refinement)
    {
        double rounded = Math.Round(refinement);
        return rounded >= 1 && Math.Abs(refinement - rounded) < 1e-9 ? (long)rounded : 0;
    }

    // The (K, k) matrix spreading each of the k learned taps of one axis, at offset i h0, over the
    // two points of a grid `refinement` times finer that surround it (linear interpolation weights).
    static Tensor AxisMap(long k, double refinement, Tensor like)
    {
        double half = (k - 1) / 2.0;
        long reach = (long)Math.Ceiling(refinement * half - 1e-9);
        var map = new double[2 * reach + 1, k];
        for (long j = -reach; j <= reach; j++)
            for (long i = 0; i < k; i++)
                map[j + reach, i] = Math.Max(0, 1 - Math.Abs((i - half) * refinement - j));
        return tensor(map, dtype: like.dtype, device: like.device);
    }
}
