using PdeOps.Operators.Losses;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace PdeOps.Operators.Layers;

/// <summary>
/// Runs a layer that changes the grid (a strided or transposed convolution, a pooling, an
/// upsampling to a fixed size) on the grid it was built for, whatever the input's grid: the input
/// is resampled to the reference grid, the layer applied, and its output resampled by the same
/// physical factor, so that it keeps the ratio of output to input resolution it had there
/// (Berner, Liu-Schiaffini, Kossaifi et al. 2025). On the reference grid the layer runs alone.
/// </summary>
/// <remarks>
/// The resampling is bilinear (<see cref="GridResolution.Resample"/>); above the reference
/// resolution the layer therefore sees the input at the reference resolution, which is what makes
/// the result converge as the grid is refined.
/// </remarks>
public sealed class ResampledLayer : nn.Module<Tensor, Tensor>, IGridAgnostic
{
    // A layer without parameters is held as a child; a convolution's weight and bias are held
    // here, under the names the convolution gave them, and applied functionally.
    private readonly nn.Module<Tensor, Tensor>? inner;
    private readonly Parameter? weight;
    private readonly Parameter? bias;
    private readonly Func<Tensor, Tensor, Tensor?, Tensor>? convolution;

    /// <summary>Wraps a layer without parameters (pooling, upsampling); the reference input and output grids are recorded on the first forward pass unless given.</summary>
    /// <param name="layer">The grid-changing layer.</param>
    /// <param name="convention">Where the points lie.</param>
    /// <param name="referenceInput">The input grid the layer was built for, or null.</param>
    /// <param name="referenceOutput">The output grid it produces there, or null.</param>
    /// <param name="name">Module name.</param>
    /// <exception cref="ArgumentException">The layer has parameters: use <see cref="OfConvolution"/> or <see cref="OfTransposedConvolution"/>.</exception>
    public ResampledLayer(nn.Module<Tensor, Tensor> layer, GridConvention convention,
        ReferenceGrid2d? referenceInput = null, ReferenceGrid2d? referenceOutput = null, string name = "resampled")
        : this(name, convention, referenceInput, referenceOutput)
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (layer.parameters().Any())
            throw new ArgumentException($"{layer.GetType().Name} has parameters: wrap convolutions with OfConvolution or OfTransposedConvolution so they keep their names", nameof(layer));
        inner = layer;
        RegisterComponents();
    }

    private ResampledLayer(string name, GridConvention convention, ReferenceGrid2d? referenceInput, ReferenceGrid2d? referenceOutput)
        : base(name)
    {
        Convention = convention;
        ReferenceInput = referenceInput;
        ReferenceOutput = referenceOutput;
    }

    private ResampledLayer(Parameter weight, Parameter? bias, Func<Tensor, Tensor, Tensor?, Tensor> convolution, GridConvention convention, string name)
        : this(name, convention, null, null)
    {
        this.weight = weight;
        this.bias = bias;
        this.convolution = convolution;
        RegisterComponents();
    }

    /// <summary>A strided (or otherwise grid-changing) convolution, resampled; its weight and bias are kept under their names.</summary>
    public static ResampledLayer OfConvolution(Conv2d conv, GridConvention convention, string name = "resampled")
    {
        ArgumentNullException.ThrowIfNull(conv);
        long[] padding = conv.padding ?? (conv.padding_type == Padding.Same
            ? throw new ArgumentException("a convolution padded 'same' keeps the grid and needs no resampling", nameof(conv))
            : new long[] { 0, 0 });
        long[] stride = conv.stride, dilation = conv.dilation;
        long groups = conv.groups;
        var mode = conv.padding_mode;
        return new ResampledLayer(conv.weight, conv.bias, (x, w, b) =>
        {
            if (mode == PaddingModes.Zeros) return F.conv2d(x, w, b, stride, padding, dilation, groups);
            using var padded = F.pad(x, new[] { padding[1], padding[1], padding[0], padding[0] }, mode);
            return F.conv2d(padded, w, b, stride, new long[] { 0, 0 }, dilation, groups);
        }, convention, name);
    }

    /// <summary>A transposed convolution, resampled; its weight and bias are kept under their names.</summary>
    public static ResampledLayer OfTransposedConvolution(ConvTranspose2d conv, GridConvention convention, string name = "resampled")
    {
        ArgumentNullException.ThrowIfNull(conv);
        long[] stride = conv.stride, padding = conv.padding ?? new long[] { 0, 0 }, outputPadding = conv.output_padding, dilation = conv.dilation;
        long groups = conv.groups;
        return new ResampledLayer(conv.weight, conv.bias,
            (x, w, b) => F.conv_transpose2d(x, w, b, stride, padding, outputPadding, dilation, groups), convention, name);
    }

    private Tensor Apply(Tensor input) => inner is not null ? inner.call(input) : convolution!(input, weight!, bias);

    /// <summary>Where the points lie.</summary>
    public GridConvention Convention { get; }

    /// <summary>The input grid the layer was built for, or null until the first forward pass.</summary>
    public ReferenceGrid2d? ReferenceInput { get; private set; }

    /// <summary>The output grid the layer gives on <see cref="ReferenceInput"/>, or null until the first forward pass.</summary>
    public ReferenceGrid2d? ReferenceOutput { get; private set; }

    /// <summary>The output grid (height, width) for an input of <paramref name="height"/> x <paramref name="width"/> points.</summary>
    public (long Height, long Width) OutputGridFor(long height, long width)
    {
        if (ReferenceInput is null || ReferenceOutput is null) throw new InvalidOperationException("the reference grid is recorded on the first forward pass");
        var (sh, sw) = ReferenceInput.Refinement(height, width);
        return (GridResolution.Scaled(ReferenceOutput.Height, sh, Convention), GridResolution.Scaled(ReferenceOutput.Width, sw, Convention));
    }

    /// <summary>Maps (batch, c, H, W) to the layer's output on the grid scaled from its reference output.</summary>
    public override Tensor forward(Tensor input)
    {
        if (input.dim() != 4)
            throw new ArgumentException($"expected a (batch, channels, H, W) field, got ({string.Join(", ", input.shape)})", nameof(input));
        long height = input.shape[2], width = input.shape[3];
        if (ReferenceInput is null)
        {
            var output = Apply(input);
            ReferenceInput = new ReferenceGrid2d(height, width, Convention);
            ReferenceOutput = new ReferenceGrid2d(output.shape[2], output.shape[3], Convention);
            return output;
        }
        if (ReferenceInput.Matches(height, width)) return Apply(input);
        using var scope = NewDisposeScope();
        var (outHeight, outWidth) = OutputGridFor(height, width);
        var onReference = GridResolution.Resample(input, ReferenceInput.Height, ReferenceInput.Width, Convention);
        var result = Apply(onReference);
        return GridResolution.Resample(result, outHeight, outWidth, Convention).MoveToOuterDisposeScope();
    }
}
