using PdeOps.Operators.Losses;
using static TorchSharp.torch;

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
    private readonly nn.Module<Tensor, Tensor> inner;

    /// <summary>Wraps <paramref name="layer"/>; the reference input and output grids are recorded on the first forward pass unless given.</summary>
    /// <param name="layer">The grid-changing layer; kept, with its parameters.</param>
    /// <param name="convention">Where the points lie.</param>
    /// <param name="referenceInput">The input grid the layer was built for, or null.</param>
    /// <param name="referenceOutput">The output grid it produces there, or null.</param>
    /// <param name="name">Module name.</param>
    public ResampledLayer(nn.Module<Tensor, Tensor> layer, GridConvention convention,
        ReferenceGrid2d? referenceInput = null, ReferenceGrid2d? referenceOutput = null, string name = "resampled")
        : base(name)
    {
        inner = layer ?? throw new ArgumentNullException(nameof(layer));
        Convention = convention;
        ReferenceInput = referenceInput;
        ReferenceOutput = referenceOutput;
        RegisterComponents();
    }

    /// <summary>The wrapped layer.</summary>
    public nn.Module<Tensor, Tensor> Layer => inner;

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
            var output = inner.call(input);
            ReferenceInput = new ReferenceGrid2d(height, width, Convention);
            ReferenceOutput = new ReferenceGrid2d(output.shape[2], output.shape[3], Convention);
            return output;
        }
        if (ReferenceInput.Matches(height, width)) return inner.call(input);
        using var scope = NewDisposeScope();
        var (outHeight, outWidth) = OutputGridFor(height, width);
        var onReference = GridResolution.Resample(input, ReferenceInput.Height, ReferenceInput.Width, Convention);
        var result = inner.call(onReference);
        return GridResolution.Resample(result, outHeight, outWidth, Convention).MoveToOuterDisposeScope();
    }
}
