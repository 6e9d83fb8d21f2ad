using PdeOps.Operators.Layers;
using PdeOps.Operators.Losses;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PdeOps.Operators.Models;

/// <summary>
/// A U-Net in the style of PDE-Arena (Gupta, Brandstetter, "Towards multi-spatiotemporal-scale
/// generalized PDE modeling", 2022) for channels-first 2D fields: the grid coordinates appended to
/// the input, stages of two (3x3 convolution, group norm, GELU), stride-2 3x3 convolutions down,
/// stride-2 transposed convolutions up with skip connections, a pointwise projection. Built as a
/// user would build a network for one grid; <c>unet-no</c> is its conversion.
/// </summary>
public sealed class UNet : nn.Module<Tensor, Tensor>
{
    private readonly UNetStage stages;
    private readonly Sequential projection;

    /// <summary>Builds the network.</summary>
    public UNet(UNetOptions options) : base("unet")
    {
        ArgumentNullException.ThrowIfNull(options);
        options = (UNetOptions)options.Validated();
        stages = new UNetStage(options.InChannels + 2, options.Width, options.Levels, options.Convention);
        projection = ConvBlocks.Projection(options.Width, options.OutChannels);
        RegisterComponents();
    }

    /// <summary>Maps (batch, in, H, W) to (batch, out, H, W).</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return projection.call(stages.call(GridEmbedding.Append(input))).MoveToOuterDisposeScope();
    }
}

/// <summary>One resolution of a <see cref="UNet"/>: it encodes, hands a downsampled copy to the coarser stage, and decodes the upsampled result with the skip.</summary>
internal sealed class UNetStage : nn.Module<Tensor, Tensor>
{
    private readonly Sequential encode;
    private readonly nn.Module<Tensor, Tensor>? down;
    private readonly nn.Module<Tensor, Tensor>? coarser;
    private readonly nn.Module<Tensor, Tensor>? up;
    private readonly Sequential? decode;
    private readonly GridConvention convention;

    public UNetStage(long inChannels, long channels, int levelsBelow, GridConvention convention) : base("stage")
    {
        this.convention = convention;
        encode = ConvBlocks.DoubleConv(inChannels, channels, convention);
        if (levelsBelow > 0)
        {
            down = ConvBlocks.Conv3x3(channels, channels, convention, stride: 2);
            coarser = new UNetStage(channels, 2 * channels, levelsBelow - 1, convention);
            up = nn.ConvTranspose2d(2 * channels, channels, 3, stride: 2, padding: 1);
            decode = ConvBlocks.DoubleConv(2 * channels, channels, convention);
        }
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var skip = encode.call(input);
        if (coarser is null) return skip.MoveToOuterDisposeScope();
        var upsampled = up!.call(coarser.call(down!.call(skip)));
        // Odd and even grids halve to sizes whose transposed convolution misses the skip's by a point: meet it.
        upsampled = GridResolution.Resample(upsampled, skip.shape[2], skip.shape[3], convention);
        return decode!.call(cat(new[] { skip, upsampled }, 1)).MoveToOuterDisposeScope();
    }
}
