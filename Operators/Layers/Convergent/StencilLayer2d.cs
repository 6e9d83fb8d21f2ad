using PdeOps.Operators.Losses;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace PdeOps.Operators.Layers;

/// <summary>
/// Base of the layers that read a learned odd-sized stencil (out, in / groups, kh, kw) on a
/// reference grid and apply its counterpart on any other: the stencil, bias, groups and padding
/// of the convolution it came from, the reference grid (recorded from the first input when not
/// given) and, on that grid, the original convolution exactly.
/// </summary>
public abstract class StencilLayer2d : nn.Module<Tensor, Tensor>, IGridAgnostic
{
    // Protected, not private: TorchSharp registers the fields of the concrete type, base fields included only when visible to it.
    /// <summary>The stencil on the reference grid.</summary>
    protected readonly Parameter weight;
    /// <summary>The per-channel bias, or null.</summary>
    protected readonly Parameter? bias;

    /// <summary>Keeps the parameters (not copies) and checks the stencil's shape.</summary>
    /// <param name="weight">(out, in / groups, kh, kw) stencil with odd kh and kw.</param>
    /// <param name="bias">Per-channel bias or null.</param>
    /// <param name="paddingMode">How the input is padded by half the stencil on each side.</param>
    /// <param name="groups">Channel groups.</param>
    /// <param name="reference">The grid the stencil was learned on; null: the first grid the layer sees.</param>
    /// <param name="convention">Where the points lie (the reference's convention when one is given).</param>
    /// <param name="name">Module name.</param>
    /// <param name="what">What the layer does, for the error message on a bad stencil.</param>
    protected StencilLayer2d(Parameter weight, Parameter? bias, PaddingModes paddingMode, long groups, ReferenceGrid2d? reference,
        GridConvention convention, string name, string what)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.dim() != 4 || weight.shape[2] % 2 == 0 || weight.shape[3] % 2 == 0)
            throw new ArgumentException($"{what} needs an (out, in, k, k) stencil of odd size, got ({string.Join(", ", weight.shape)})", nameof(weight));
        this.weight = weight;
        this.bias = bias;
        Groups = groups;
        PaddingMode = paddingMode;
        Reference = reference;
        Convention = reference?.Convention ?? convention;
        RegisterComponents();
    }

    /// <summary>The (out, in / groups, kh, kw) stencil on the reference grid.</summary>
    public Parameter Weight => weight;

    /// <summary>The per-channel bias, or null.</summary>
    public Parameter? Bias => bias;

    /// <summary>Channel groups.</summary>
    public long Groups { get; }

    /// <summary>How the input is padded.</summary>
    public PaddingModes PaddingMode { get; }

    /// <summary>The grid the stencil was learned on, or null until the first forward pass records it.</summary>
    public ReferenceGrid2d? Reference { get; protected set; }

    /// <summary>Where the points lie.</summary>
    public GridConvention Convention { get; }

    /// <summary>Throws unless <paramref name="input"/> is a (batch, channels, H, W) field.</summary>
    protected static void RequireField(Tensor input)
    {
        if (input.dim() != 4)
            throw new ArgumentException($"expected a (batch, channels, H, W) field, got ({string.Join(", ", input.shape)})", nameof(input));
    }

    /// <summary>The reference grid, or, before the layer has seen one, a grid of the given size taken as it.</summary>
    protected ReferenceGrid2d ReferenceFor(long height, long width) => Reference ?? new ReferenceGrid2d(height, width, Convention);

    /// <summary>Checks a (batch, c, H, W) input, records the reference grid if none is set, and says whether the input is on it.</summary>
    protected bool OnReferenceGrid(Tensor input)
    {
        RequireField(input);
        Reference ??= new ReferenceGrid2d(input.shape[2], input.shape[3], Convention);
        return Reference.Matches(input.shape[2], input.shape[3]);
    }

    /// <summary>A (out, in, k, k) stencil drawn as PyTorch initialises a convolution, U(-1/sqrt(in k^2), 1/sqrt(in k^2)).</summary>
    protected static Parameter NewWeight(int inChannels, int outChannels, int kernelSize)
    {
        if (kernelSize < 1 || kernelSize % 2 == 0) throw new ArgumentOutOfRangeException(nameof(kernelSize), kernelSize, "the kernel size must be odd");
        if (inChannels < 1 || outChannels < 1) throw new ArgumentOutOfRangeException(nameof(inChannels), "at least one channel in and out");
        double bound = 1.0 / Math.Sqrt((double)inChannels * kernelSize * kernelSize);
        using (no_grad())
            return ParameterFactory.Create(empty(outChannels, inChannels, kernelSize, kernelSize).uniform_(-bound, bound));
    }

    /// <summary>A bias of <paramref name="outChannels"/> drawn with the same bound as <see cref="NewWeight"/>.</summary>
    protected static Parameter NewBias(int inChannels, int kernelSize, int outChannels)
    {
        double bound = 1.0 / Math.Sqrt((double)inChannels * kernelSize * kernelSize);
        using (no_grad())
            return ParameterFactory.Create(empty(outChannels).uniform_(-bound, bound));
    }

    /// <summary>The stencil applied with stride 1, padded to keep the grid, with the layer's bias, padding and groups.</summary>
    protected Tensor Apply(Tensor input, Tensor stencil) => SamePaddedConv(input, stencil, bias, PaddingMode, Groups);

    /// <summary>
    /// A stride-1 convolution, its taps <paramref name="dilationH"/> and <paramref name="dilationW"/>
    /// points apart, padded by half the (odd, dilated) kernel's reach on each side, so the grid is kept.
    /// </summary>
    internal static Tensor SamePaddedConv(Tensor input, Tensor kernel, Tensor? bias, PaddingModes mode, long groups,
        long dilationH = 1, long dilationW = 1)
    {
        long ph = dilationH * (kernel.shape[2] - 1) / 2, pw = dilationW * (kernel.shape[3] - 1) / 2;
        var dilation = new[] { dilationH, dilationW };
        if (mode == PaddingModes.Zeros)
            return F.conv2d(input, kernel, bias, padding: new[] { ph, pw }, dilation: dilation, groups: groups);
        using var padded = F.pad(input, new[] { pw, pw, ph, ph }, mode);
        return F.conv2d(padded, kernel, bias, dilation: dilation, groups: groups);
    }

}
