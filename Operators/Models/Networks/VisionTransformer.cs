using PdeOps.Operators.Layers;
using PdeOps.Operators.Losses;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PdeOps.Operators.Models;

/// <summary>
/// A vision transformer for channels-first 2D fields, written as a user would write one for a
/// grid: the grid coordinates appended to the input, a patch embedding (a convolution with kernel
/// and stride p), a learned position embedding on the token grid, pre-norm transformer blocks
/// with softmax attention, a transposed convolution (kernel and stride p) back to the pixels, and a
/// pointwise projection. On a grid whose size is not a multiple of p the last partial patch is
/// dropped and the output resampled to the input's grid; on a grid other than the one it was built
/// for its patches cover another physical area and its position table is stretched (interpolated,
/// as ViTs do for other image sizes). <c>vit-no</c> is its conversion: patch embedding and
/// unpatching resampled to keep their physical size, attention and position embedding as functions.
/// </summary>
public sealed class VisionTransformer : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> patches;
    private readonly PositionFunction2d position;
    private readonly Sequential blocks;
    private readonly nn.Module<Tensor, Tensor> unpatch;
    private readonly Sequential projection;
    private readonly GridConvention convention;

    /// <summary>Builds the network for the reference grid of <paramref name="options"/>.</summary>
    public VisionTransformer(ViTOptions options) : base("vit")
    {
        ArgumentNullException.ThrowIfNull(options);
        options = (ViTOptions)options.Validated();
        convention = options.Convention;
        int p = options.PatchSize;
        var grid = options.ReferenceGrid;
        patches = nn.Conv2d(options.InChannels + 2, options.Width, p, stride: p);
        position = new PositionFunction2d(options.Width, new ReferenceGrid2d(grid.Height / p, grid.Width / p, convention));
        blocks = nn.Sequential(Enumerable.Range(0, options.Layers)
            .Select(b => ($"block{b}", (nn.Module<Tensor, Tensor>)new TransformerBlock(options.Width, options.Heads))).ToArray());
        unpatch = nn.ConvTranspose2d(options.Width, options.Width, p, stride: p);
        projection = ConvBlocks.Projection(options.Width, options.OutChannels);
        RegisterComponents();
    }

    /// <summary>Maps (batch, in, H, W) to (batch, out, H, W).</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var tokens = blocks.call(position.call(patches.call(GridEmbedding.Append(input))));
        var pixels = GridResolution.Resample(unpatch.call(tokens), input.shape[2], input.shape[3], convention);
        return projection.call(pixels).MoveToOuterDisposeScope();
    }
}
